// What apps call on req.session (regenerate, reload, save) and the plugin's options (rolling,
// saveUninitialized), through @fastify/session over the adapter, on every store.
import type { SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { closedAfterEach, sessionCookie, sidOf } from './app.js';
import { countingWrites } from './protocol.js';

type MakeStore = () => Promise<SessionStore>;

export function sessionApiScenarios(makeStore: MakeStore): void {
  const { open, app } = closedAfterEach(makeStore);

  /** Log ada in and count once: a session with `userId` and `count: 1`. */
  async function loggedIn(server: Awaited<ReturnType<typeof app>>['app']) {
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    await server.inject({ method: 'POST', url: '/count', headers: { cookie } });
    return cookie;
  }

  test('regenerate() keeps nothing: a new ID, no data, the old session gone', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = await loggedIn(server);
    const res = await server.inject({ method: 'POST', url: '/regenerate', headers: { cookie } });
    const renewed = sessionCookie(res);
    expect(sidOf(renewed)).not.toBe(sidOf(cookie));
    expect(await store.get(adapter.keyOf(sidOf(cookie)))).toBeUndefined();
    const me = await server.inject({ url: '/me', headers: { cookie: renewed } });
    expect(me.json().userId).toBeNull();
  });

  test('regenerate(keys) keeps exactly those keys under a new ID', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = await loggedIn(server);
    const res = await server.inject({
      method: 'POST',
      url: '/regenerate-keeping?keys=count',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().keys).toEqual(['cookie', 'count']);
    const renewed = sessionCookie(res);
    expect(await store.get(adapter.keyOf(sidOf(cookie)))).toBeUndefined();
    const stored = await store.get(adapter.keyOf(sidOf(renewed)));
    expect(stored?.data).toMatchObject({ count: 1 });
    expect(stored?.data.userId).toBeUndefined();
    expect(stored?.userId).toBeUndefined(); // no owner any more: not in ada's index
  });

  test('reload() drops unsaved changes, and the reloaded session saves cleanly', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = await loggedIn(server);
    // The route sets count to 99 without saving, reloads, and the count then comes from the store.
    const res = await server.inject({
      method: 'POST',
      url: '/reload-and-count',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reloaded: 1, count: 2 });
    expect((await store.get(adapter.keyOf(sidOf(cookie))))?.data.count).toBe(2);
  });

  test('reload() sees what another request saved meanwhile', async () => {
    const store = await open();
    const { app: server, adapter, release, parked } = await app(store);
    const cookie = await loggedIn(server);
    const slow = server.inject({ method: 'POST', url: '/slow-reload', headers: { cookie } });
    await parked;
    await server.inject({ method: 'POST', url: '/count', headers: { cookie } });
    release();
    const res = await slow;
    expect(res.json()).toEqual({ before: 1, after: 2 });
    expect((await store.get(adapter.keyOf(sidOf(cookie))))?.data.count).toBe(2);
  });

  test('save() writes at once; a change after it is saved with the response', async () => {
    const counted = countingWrites(await open());
    const { app: server, adapter } = await app(counted.store);
    const cookie = await loggedIn(server);
    const before = counted.writes();
    const res = await server.inject({
      method: 'POST',
      url: '/save-then-count',
      headers: { cookie },
    });
    expect(res.json().count).toBe(3);
    expect(counted.writes() - before).toBe(2);
    expect((await counted.store.get(adapter.keyOf(sidOf(cookie))))?.data.count).toBe(3);
  });

  test('rolling: false: an unchanged session is not written again', async () => {
    const counted = countingWrites(await open());
    const { app: server } = await app(counted.store, { rolling: false });
    const cookie = await loggedIn(server);
    const before = counted.writes();
    const me = await server.inject({ url: '/me', headers: { cookie } });
    expect(me.json().userId).toBe('ada');
    expect(counted.writes()).toBe(before);
    expect(me.cookies).toEqual([]);
  });

  test('rolling: true: each response renews the cookie and the stored expiry', async () => {
    const counted = countingWrites(await open());
    const { app: server } = await app(counted.store, { rolling: true });
    const cookie = await loggedIn(server);
    const before = counted.writes();
    const me = await server.inject({ url: '/me', headers: { cookie } });
    expect(counted.writes()).toBe(before + 1);
    expect(sessionCookie(me)).toBe(cookie);
  });

  test('saveUninitialized: false: a visit that stores nothing writes nothing, sets no cookie', async () => {
    const counted = countingWrites(await open());
    const { app: server } = await app(counted.store);
    const res = await server.inject({ url: '/nothing' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies).toEqual([]);
    expect(counted.writes()).toBe(0);
    const first = await server.inject({ method: 'POST', url: '/theme' });
    expect(first.cookies.map((c) => c.name)).toEqual(['sessionId']);
    expect(counted.writes()).toBe(1);
  });

  test('saveUninitialized: true: a first visit stores a session and sets its cookie', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store, { saveUninitialized: true });
    const res = await server.inject({ url: '/nothing' });
    const cookie = sessionCookie(res);
    const stored = await store.get(adapter.keyOf(sidOf(cookie)));
    expect(Object.keys(stored?.data ?? {})).toEqual(['cookie']);
    const next = await server.inject({ method: 'POST', url: '/count', headers: { cookie } });
    expect(next.json().count).toBe(1);
    expect((await store.get(adapter.keyOf(sidOf(cookie))))?.data.count).toBe(1);
  });
}
