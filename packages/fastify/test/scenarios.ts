// The adapter's behaviour, run against every store.
import { randomUUID } from 'node:crypto';
import { richCodec, type SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { closedAfterEach, sessionCookie, sidOf } from './app.js';

export type MakeStore = (options?: { codec?: typeof richCodec }) => Promise<SessionStore>;

export function fastifyScenarios(makeStore: MakeStore): void {
  const { open, app } = closedAfterEach(makeStore);

  test('login, then the session is found again on the next request', async () => {
    const { app: server } = await app(await open());
    const login = await server.inject({ method: 'POST', url: '/login/ada' });
    expect(login.statusCode).toBe(200);
    const me = await server.inject({ url: '/me', headers: { cookie: sessionCookie(login) } });
    expect(me.json().userId).toBe('ada');
  });

  test('cookie expiry maps to expiresAt to the millisecond, with the owner indexed', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const login = await server.inject({ method: 'POST', url: '/login/ada' });
    const record = await store.get(adapter.keyOf(sidOf(sessionCookie(login))));
    expect(record?.expiresAt).toBe(login.json().expires);
    expect(record?.userId).toBe('ada');
  });

  test('a counter over many requests', async () => {
    const { app: server } = await app(await open());
    let cookie = '';
    for (let i = 1; i <= 25; i++) {
      const res = await server.inject({
        method: 'POST',
        url: '/count',
        headers: cookie ? { cookie } : {},
      });
      expect(res.json().count).toBe(i);
      if (i === 1) cookie = sessionCookie(res);
    }
  });

  test('rolling: every response moves the expiry forward', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store, { rolling: true });
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const key = adapter.keyOf(sidOf(cookie));
    const first = (await store.get(key))?.expiresAt ?? 0;
    await new Promise((r) => setTimeout(r, 15));
    await server.inject({ url: '/me', headers: { cookie } });
    expect((await store.get(key))?.expiresAt ?? 0).toBeGreaterThan(first);
  });

  test('regenerate on login leaves the old session ID dead', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const anonymous = sessionCookie(await server.inject({ method: 'POST', url: '/count' }));
    const login = await server.inject({
      method: 'POST',
      url: '/login/ada',
      headers: { cookie: anonymous },
    });
    expect(sidOf(sessionCookie(login))).not.toBe(sidOf(anonymous));
    expect(await store.get(adapter.keyOf(sidOf(anonymous)))).toBeUndefined();
  });

  test('destroy removes the session; the old cookie finds nothing', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    await server.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    expect(await store.get(adapter.keyOf(sidOf(cookie)))).toBeUndefined();
    const me = await server.inject({ url: '/me', headers: { cookie } });
    expect(me.json().userId).toBeNull();
  });

  test('a slow request that finishes after logout does not bring the session back', async () => {
    const store = await open();
    const { app: server, adapter, release, parked } = await app(store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const slow = server.inject({ method: 'POST', url: '/slow-increment', headers: { cookie } });
    await parked;
    await server.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    release();
    expect((await slow).statusCode).toBe(409);
    expect(await store.get(adapter.keyOf(sidOf(cookie)))).toBeUndefined();
  });

  test('parallel requests on one session never lose an update silently', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        server.inject({ method: 'POST', url: '/count', headers: { cookie } }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 200).length;
    expect(ok + results.filter((r) => r.statusCode === 409).length).toBe(20);
    expect((await store.get(adapter.keyOf(sidOf(cookie))))?.data.count).toBe(ok);
  });

  test('Dates in session data survive with the Date-preserving codec', async () => {
    const { app: server } = await app(await open({ codec: richCodec }));
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/seen' }));
    const res = await server.inject({ url: '/seen', headers: { cookie } });
    expect(res.json()).toEqual({ isDate: true, time: 1_700_000_000_123 });
  });

  test('the owner field feeds the user index: log out everywhere', async () => {
    const store = await open();
    const { app: server } = await app(store);
    const user = `u-${randomUUID()}`;
    await server.inject({ method: 'POST', url: `/login/${user}` });
    const laptop = sessionCookie(await server.inject({ method: 'POST', url: `/login/${user}` }));
    expect(await store.listByUser(user)).toHaveLength(2);
    expect(await store.deleteByUser(user)).toBe(2);
    expect(
      (await server.inject({ url: '/me', headers: { cookie: laptop } })).json().userId,
    ).toBeNull();
  });
}
