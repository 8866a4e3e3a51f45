// The adapter's behaviour, run against every store (see express.test.ts).
import { randomUUID } from 'node:crypto';
import { richCodec, type SessionStore } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { buildApp, closedAfterEach, sidFromCookie } from './app.js';

export type MakeStore = (options?: { codec?: typeof richCodec }) => Promise<SessionStore>;

export function expressScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);

  test('login, then the session is found again on the next request', async () => {
    const { app } = buildApp(await open());
    const agent = request.agent(app);
    await agent.post('/login/ada').expect(200);
    const me = await agent.get('/me').expect(200);
    expect(me.body.userId).toBe('ada');
  });

  test('cookie expiry maps to expiresAt to the millisecond', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const record = await store.get(adapter.keyOf(sidFromCookie(login.headers['set-cookie'])));
    const me = await agent.get('/me').expect(200);
    expect(record?.expiresAt).toBe(me.body.expires);
    expect(record?.userId).toBe('ada');
  });

  test('a counter over many requests', async () => {
    const { app } = buildApp(await open());
    const agent = request.agent(app);
    for (let i = 1; i <= 25; i++) {
      const res = await agent.post('/count').expect(200);
      expect(res.body.count).toBe(i);
    }
  });

  test('rolling: every response moves the expiry forward', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store, { rolling: true });
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const first = (await store.get(key))?.expiresAt ?? 0;
    await new Promise((r) => setTimeout(r, 15));
    const res = await agent.get('/me').expect(200);
    expect(res.headers['set-cookie']).toBeDefined();
    expect((await store.get(key))?.expiresAt ?? 0).toBeGreaterThan(first);
  });

  test('resave: false touches an unchanged session without rewriting it', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const before = await store.get(key);
    await new Promise((r) => setTimeout(r, 15));
    await agent.get('/me').expect(200);
    const after = await store.get(key);
    expect(after?.version).toBe(before?.version);
    expect(after?.expiresAt ?? 0).toBeGreaterThan(before?.expiresAt ?? 0);
  });

  test('regenerate on login leaves the old session ID dead', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const first = await agent.post('/count').expect(200);
    const oldSid = sidFromCookie(first.headers['set-cookie']);
    const login = await agent.post('/login/ada').expect(200);
    expect(sidFromCookie(login.headers['set-cookie'])).not.toBe(oldSid);
    expect(await store.get(adapter.keyOf(oldSid))).toBeUndefined();
  });

  test('destroy removes the session; the old cookie finds nothing', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    await agent.post('/logout').expect(200);
    expect(await store.get(adapter.keyOf(sidFromCookie(cookie)))).toBeUndefined();
    const me = await request(app).get('/me').set('Cookie', cookie).expect(200);
    expect(me.body.userId).toBeNull();
  });

  test('a slow request that finishes after logout does not bring the session back', async () => {
    const store = await open();
    const { app, adapter, release, parked } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const slow = agent.post('/slow-increment').then((r) => r);
    await parked;
    await agent.post('/logout').expect(200);
    release();
    expect((await slow).status).toBe(409);
    expect(await store.get(key)).toBeUndefined();
  });

  test('with automatic save too, a session destroyed meanwhile stays destroyed', async () => {
    const store = await open();
    const { app, adapter, release, parked } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const slow = agent.post('/slow-increment-autosave').then((r) => r);
    await parked;
    await agent.post('/logout').expect(200);
    release();
    await slow; // express-session writes this response before its save fails: see the README
    expect(await store.get(key)).toBeUndefined();
  });

  test('parallel requests on one session never lose an update silently', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const results = await Promise.all(Array.from({ length: 20 }, () => agent.post('/count')));
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok + results.filter((r) => r.status === 409).length).toBe(20);
    expect(ok).toBeGreaterThan(0);
    expect((await store.get(key))?.data.count).toBe(ok);
  });

  test('Dates in session data survive with the Date-preserving codec', async () => {
    const { app } = buildApp(await open({ codec: richCodec }));
    const agent = request.agent(app);
    await agent.post('/seen').expect(200);
    const res = await agent.get('/seen').expect(200);
    expect(res.body).toEqual({ isDate: true, time: 1_700_000_000_123 });
  });

  test('the owner field feeds the user index: log out everywhere', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const user = `u-${randomUUID()}`;
    const phone = request.agent(app);
    const laptop = request.agent(app);
    await phone.post(`/login/${user}`).expect(200);
    await laptop.post(`/login/${user}`).expect(200);
    expect(await store.listByUser(user)).toHaveLength(2);
    expect(await store.deleteByUser(user)).toBe(2);
    expect((await laptop.get('/me').expect(200)).body.userId).toBeNull();
  });

  test('callback and promise styles, all(), length() and clear()', async () => {
    const store = await open();
    const { adapter } = buildApp(store);
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) };
    await adapter.set('sid-a', { cookie } as never);
    await new Promise<void>((resolve, reject) =>
      adapter.set('sid-b', { cookie } as never, (err) => (err ? reject(err) : resolve())),
    );
    expect(await adapter.length()).toBe(2);
    const viaCallback = await new Promise<unknown>((resolve, reject) =>
      adapter.get('sid-a', (err, sess) => (err ? reject(err) : resolve(sess))),
    );
    expect(viaCallback).toMatchObject({ cookie: { originalMaxAge: 60_000 } });
    expect(await adapter.all()).toHaveLength(2);
    await adapter.clear();
    expect(await adapter.length()).toBe(0);
  });
}
