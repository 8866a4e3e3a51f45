// @fastify/session's store protocol as the plugin and apps drive it (issue 17, items 1, 2, 4,
// 7 and 8), run against every store (see stores.test.ts).
import { isSessionError, type SessionStore } from '@sessions/core';
import { BORN_AT_FIELD } from '@sessions/core/adapter';
import { expect, test } from 'vitest';
import { FastifySessionStore } from '../src/index.js';
import { closedAfterEach, sessionCookie, sidOf } from './app.js';
import { call, countingWrites, flaky, session } from './protocol.js';

type MakeStore = () => Promise<SessionStore>;

export function dropInScenarios(makeStore: MakeStore): void {
  const { open, app } = closedAfterEach(makeStore);

  test('[17.1] get, edit the returned object, set: the edit is saved', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    await call((done) => adapter.set('sid-1', session({ count: 1 }), done));
    const loaded = await call<{ count: number }>((done) => adapter.get('sid-1', done));
    loaded.count = 2;
    await call((done) => adapter.set('sid-1', loaded, done));
    expect((await call<{ count: number }>((done) => adapter.get('sid-1', done))).count).toBe(2);
  });

  test('[17.2] set of an object never loaded is an upsert; a loaded one never resurrects', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    await call((done) => adapter.set('sid-1', session({ count: 1 }), done));
    await call((done) => adapter.set('sid-1', session({ count: 2 }), done));
    const loaded = await call<{ count: number }>((done) => adapter.get('sid-1', done));
    expect(loaded.count).toBe(2);
    await call((done) => adapter.destroy('sid-1', done));
    const failure = await call((done) => adapter.set('sid-1', loaded, done)).catch((e) => e);
    expect(isSessionError(failure, 'CONFLICT')).toBe(true);
    expect(await call((done) => adapter.get('sid-1', done))).toBeNull();
  });

  // Each method, with a callback that throws, on a healthy store and on one that is down.
  for (const [method, broken] of [
    ['get', 'get'],
    ['set', 'set'],
    ['destroy', 'delete'],
  ] as const) {
    for (const down of [false, true]) {
      test(`[17.4] a callback of ${method} that throws${down ? ' an error result' : ''} is an uncaught exception of that callback`, async () => {
        const outage = flaky(await open());
        if (down) outage.fail(broken);
        const adapter = new FastifySessionStore({ store: outage.store });
        const boom = new Error('thrown by the caller');
        const captured: unknown[] = [];
        const results: unknown[] = [];
        const callback = (err: unknown) => {
          results.push(err ?? null);
          throw boom;
        };
        // An unhandled rejection instead would reach vitest, which fails the run.
        process.setUncaughtExceptionCaptureCallback((err) => captured.push(err));
        try {
          if (method === 'set') adapter.set('sid-1', session({ count: 1 }), callback);
          else adapter[method]('sid-1', callback);
          // Until the callback ran (a busy server can take a while), then a moment more for
          // a second call that must not come.
          for (let waited = 0; results.length === 0 && waited < 5000; waited += 10) {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          process.setUncaughtExceptionCaptureCallback(null);
        }
        expect(captured).toEqual([boom]);
        expect(results).toHaveLength(1); // called once: never again with its own error
        expect(isSessionError(results[0], 'UNAVAILABLE')).toBe(down);
      });
    }
  }

  test('[17.7] regenerate(Object.keys(session)) carries no version along', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const res = await server.inject({
      method: 'POST',
      url: '/regenerate-keeping-all',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().keys.sort()).toEqual(['cookie', 'userId']);
    const renewed = sessionCookie(res);
    expect(sidOf(renewed)).not.toBe(sidOf(cookie));
    const me = await server.inject({ url: '/me', headers: { cookie: renewed } });
    expect(me.json().userId).toBe('ada');
    const stored = await store.get(adapter.keyOf(sidOf(renewed)));
    // Besides the session's own fields, an owned record keeps only when its lineage began (for
    // "log out everywhere"), which no read hands to @fastify/session.
    expect(Object.keys(stored?.data ?? {}).sort()).toEqual([BORN_AT_FIELD, 'cookie', 'userId']);
  });

  test('[17.8] a just-regenerated session costs one write (and one tombstone, for miss reasons)', async () => {
    const counted = countingWrites(await open());
    const { app: server } = await app(counted.store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const before = counted.writes();
    const res = await server.inject({ method: 'POST', url: '/regenerate', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(counted.writes() - before).toBe(1);
    expect(counted.bookkeepingWrites()).toBe(1); // the old ID's `rotated` tombstone
  });
}
