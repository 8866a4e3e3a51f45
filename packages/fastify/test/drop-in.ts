// @fastify/session's store protocol as the plugin and apps drive it (issue 17, items 1, 2, 4,
// 7 and 8), run against every store (see stores.test.ts).
import { isSessionError, type SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { FastifySessionStore } from '../src/index.js';
import { closedAfterEach, sessionCookie, sidOf } from './app.js';

type MakeStore = () => Promise<SessionStore>;

/** The adapter's methods as promises: @fastify/session only ever passes callbacks. */
function call<T>(run: (done: (err?: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

/** A session as @fastify/session hands it to `set`: its cookie serialises through toJSON. */
function session(fields: Record<string, unknown>) {
  const expires = new Date(Date.now() + 30 * 60_000);
  return { cookie: { toJSON: () => ({ expires, originalMaxAge: 30 * 60_000 }) }, ...fields };
}

/** The store, counting its writes. */
function countingWrites(store: SessionStore): { store: SessionStore; writes: () => number } {
  let writes = 0;
  const counted = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name === 'set') writes++;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, writes: () => writes };
}

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

  test('[17.4] a throwing callback is an uncaught exception of that callback', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    const boom = new Error('thrown by the caller');
    const captured: unknown[] = [];
    let calls = 0;
    // An unhandled rejection instead would reach vitest, which fails the run.
    process.setUncaughtExceptionCaptureCallback((err) => captured.push(err));
    try {
      adapter.get('sid-1', () => {
        calls++;
        throw boom;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.setUncaughtExceptionCaptureCallback(null);
    }
    expect({ calls, captured }).toEqual({ calls: 1, captured: [boom] });
  });

  test('[17.4] a tampered record answers an error and the server lives on', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const key = adapter.keyOf(sidOf(cookie));
    const record = await store.get(key);
    // Values that make @fastify/session's Session or Cookie constructor throw.
    const unconvertible = { valueOf: 1, toString: 1 };
    for (const cookieData of [
      { originalMaxAge: unconvertible },
      { expires: unconvertible },
      { originalMaxAge: 60_000, sameSite: 'bogus' },
      'not a cookie',
    ]) {
      await store.set(key, { ...record, data: { userId: 'ada', cookie: cookieData } } as never);
      const res = await server.inject({ method: 'POST', url: '/count', headers: { cookie } });
      expect(res.statusCode).toBe(500);
    }
    const fresh = await server.inject({ method: 'POST', url: '/login/bob' });
    const me = await server.inject({ url: '/me', headers: { cookie: sessionCookie(fresh) } });
    expect(me.json().userId).toBe('bob');
  });

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
    expect(Object.keys(stored?.data ?? {}).sort()).toEqual(['cookie', 'userId']);
  });

  test('[17.8] a just-regenerated session costs one write', async () => {
    const counted = countingWrites(await open());
    const { app: server } = await app(counted.store);
    const cookie = sessionCookie(await server.inject({ method: 'POST', url: '/login/ada' }));
    const before = counted.writes();
    const res = await server.inject({ method: 'POST', url: '/regenerate', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(counted.writes() - before).toBe(1);
  });
}
