// A store outage at each place @fastify/session calls the store: the request answers an error
// (503 through the app's error handler), nothing is reported as saved, and the server serves
// the next request once the store is back. On every store.
import type { SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { closedAfterEach, sessionCookie } from './app.js';
import { flaky, type StoreMethod } from './protocol.js';

type MakeStore = () => Promise<SessionStore>;

/** Where @fastify/session calls the store, and the request that gets there. */
const CALL_SITES: Array<{
  site: string;
  method: StoreMethod;
  after?: number;
  request: { method: 'GET' | 'POST'; url: string };
}> = [
  { site: 'get, loading the session', method: 'get', request: { method: 'GET', url: '/me' } },
  {
    site: 'get, in session.reload()',
    method: 'get',
    after: 1,
    request: { method: 'POST', url: '/reload-and-count' },
  },
  {
    site: 'set, the save with the response',
    method: 'set',
    request: { method: 'POST', url: '/count' },
  },
  {
    site: 'set, in session.save()',
    method: 'set',
    request: { method: 'POST', url: '/save-then-count' },
  },
  {
    site: 'set, in session.regenerate()',
    method: 'set',
    request: { method: 'POST', url: '/regenerate' },
  },
  {
    site: 'destroy, in session.regenerate()',
    method: 'delete',
    request: { method: 'POST', url: '/regenerate' },
  },
  {
    site: 'destroy, in session.destroy()',
    method: 'delete',
    request: { method: 'POST', url: '/logout' },
  },
];

export function storeFailureScenarios(makeStore: MakeStore): void {
  const { open, app } = closedAfterEach(makeStore);

  for (const { site, method, after, request } of CALL_SITES) {
    test(`a store error in ${site} is a 503 for that request, then the server goes on`, async () => {
      const outage = flaky(await open());
      const { app: server } = await app(outage.store);
      const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
      outage.fail(method, { after });
      const res = await server.inject({ ...request, headers: { cookie } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('UNAVAILABLE');
      // No cookie for a session that was not stored.
      expect(res.cookies.filter((c) => c.value !== '')).toEqual([]);
      outage.heal();
      const me = await server.inject({ url: '/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
    });
  }

  test('a store error while logging in stores no half-session and sets no cookie', async () => {
    const outage = flaky(await open());
    const { app: server } = await app(outage.store);
    outage.fail('set');
    const res = await server.inject({ method: 'POST', url: '/login/ada' });
    expect(res.statusCode).toBe(503);
    expect(res.cookies).toEqual([]);
    outage.heal();
    expect(await outage.store.listByUser('ada')).toEqual([]);
  });
}
