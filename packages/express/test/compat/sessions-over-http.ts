// express-session's options and Session methods over HTTP: saveUninitialized, resave,
// rolling, regenerate (with and without kept fields), reload and save.
import type { SessionStore } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { closedAfterEach } from '../app.js';
import { compatApp } from './http-app.js';
import { fieldsOf, sidIn } from './support.js';

export function sessionsOverHttpCompat(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  test('saveUninitialized: false: an untouched session is neither stored nor sent', async () => {
    const { app, adapter } = compatApp(await open());
    const res = await request(app).get('/peek').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await adapter.length()).toBe(0);
  });

  test('saveUninitialized: true: an untouched session is stored and sent', async () => {
    const { app, adapter } = compatApp(await open(), { saveUninitialized: true });
    const res = await request(app).get('/peek').expect(200);
    const sid = sidIn(res.headers['set-cookie']);
    expect(sid).toBe(res.body.id);
    expect(await fieldsOf(adapter, sid as string)).not.toBeNull();
  });

  test('resave: false: an unchanged session is touched, never rewritten', async () => {
    const store = await open();
    const { app, adapter } = compatApp(store);
    const agent = request.agent(app);
    const { body } = await agent.post('/set/a/1').expect(200);
    const key = adapter.keyOf(body.id);
    const before = await store.get(key);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await agent.get('/peek').expect(200);
    const after = await store.get(key);
    expect(after?.version).toBe(before?.version);
    expect(after?.expiresAt).toBeGreaterThan(before?.expiresAt ?? Number.POSITIVE_INFINITY);
  });

  test('resave: true: an unchanged session is written again', async () => {
    const store = await open();
    const { app, adapter } = compatApp(store, { resave: true });
    const agent = request.agent(app);
    const { body } = await agent.post('/set/a/1').expect(200);
    const key = adapter.keyOf(body.id);
    const before = await store.get(key);
    await agent.get('/peek').expect(200);
    const after = await store.get(key);
    expect(after?.version).not.toBe(before?.version);
    expect(after?.data.a).toBe('1');
  });

  test('rolling: every response sends the cookie again; without it, unchanged ones do not', async () => {
    for (const rolling of [true, false]) {
      const { app } = compatApp(await open(), { rolling });
      const agent = request.agent(app);
      await agent.post('/set/a/1').expect(200);
      const res = await agent.get('/peek').expect(200);
      expect(res.headers['set-cookie'] !== undefined).toBe(rolling);
    }
  });

  test('regenerate without kept fields: a new ID, an empty session, the old one gone', async () => {
    const { app, adapter } = compatApp(await open());
    const agent = request.agent(app);
    const old = (await agent.post('/set/cart/tea').expect(200)).body.id;
    const res = await agent.post('/regenerate').expect(200);
    expect(res.body.id).not.toBe(old);
    expect(sidIn(res.headers['set-cookie'])).toBe(res.body.id);
    expect(await adapter.get(old)).toBeNull();
    expect((await agent.get('/peek').expect(200)).body.session).not.toHaveProperty('cart');
  });

  test('regenerate keeping fields: they move to the new ID, the old one is gone', async () => {
    const { app, adapter } = compatApp(await open());
    const agent = request.agent(app);
    await agent.post('/set/cart/tea').expect(200);
    const old = (await agent.post('/set/note/x').expect(200)).body.id;
    const res = await agent.post('/regenerate?keep=cart').expect(200);
    expect(await adapter.get(old)).toBeNull();
    const stored = await fieldsOf(adapter, res.body.id);
    expect(stored).toMatchObject({ cart: 'tea' });
    expect(stored).not.toHaveProperty('note');
  });

  test('reload reads what another request stored meanwhile', async () => {
    const { app, adapter } = compatApp(await open());
    const agent = request.agent(app);
    const { id } = (await agent.post('/set/a/1').expect(200)).body;
    const other = (await adapter.get(id)) as unknown as Record<string, unknown>;
    other.a = 'changed elsewhere';
    await adapter.set(id, other as never);
    const res = await agent.post('/reload').expect(200);
    expect(res.body.session.a).toBe('changed elsewhere');
  });

  test('reload of a session destroyed meanwhile is an error', async () => {
    const { app, adapter, errors } = compatApp(await open());
    const agent = request.agent(app);
    const { id } = (await agent.post('/set/a/1').expect(200)).body;
    await adapter.destroy(id);
    await agent.post('/reload').expect(500);
    expect(String((errors[0] as Error).message)).toMatch(/failed to load session/);
  });

  test('save stores the change before the handler responds', async () => {
    const { app, adapter } = compatApp(await open(), { guard: false });
    const agent = request.agent(app);
    const { id } = (await agent.post('/set/a/1').expect(200)).body;
    await agent.post('/save').expect(200);
    expect(await fieldsOf(adapter, id)).toMatchObject({ a: '1', userId: 'saved' });
  });

  test('destroy over HTTP: the session is gone and no cookie names it', async () => {
    const { app, adapter } = compatApp(await open());
    const agent = request.agent(app);
    const { id } = (await agent.post('/set/a/1').expect(200)).body;
    const res = await agent.post('/destroy').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await adapter.get(id)).toBeNull();
  });
}
