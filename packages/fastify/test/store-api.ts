// The Store API @fastify/session documents (get, set, destroy with Node callbacks), called
// directly as the plugin and apps call it, on every store (see stores.test.ts).
import { isSessionError, type SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { FastifySessionStore } from '../src/index.js';
import { closedAfterEach } from './app.js';
import { call, session } from './protocol.js';

type MakeStore = () => Promise<SessionStore>;
type Stored = Record<string, unknown> & { cookie: { expires: unknown } };

export function storeApiScenarios(makeStore: MakeStore): void {
  const { open } = closedAfterEach(makeStore);

  test('get of an unknown session calls back with no error and null', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    expect(await call((done) => adapter.get('never-seen', done))).toBeNull();
  });

  test('get of an ID no store could hold as a key is a miss, not an error', async () => {
    const adapter = new FastifySessionStore({ store: await open(), hashIds: false });
    for (const id of ['', 'has spaces and ✓', 'x'.repeat(5_000)]) {
      expect(await call((done) => adapter.get(id, done))).toBeNull();
    }
  });

  test('destroy of an unknown session is no error', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    await expect(call((done) => adapter.destroy('never-seen', done))).resolves.toBeUndefined();
  });

  test('set then get: the fields come back, the cookie expiry to the millisecond', async () => {
    const store = await open();
    const adapter = new FastifySessionStore({ store });
    const expires = Date.now() + 10 * 60_000;
    const fields = { userId: 'ada', cart: ['tea', 'mug'], prefs: { theme: 'dark' }, n: 0 };
    await call((done) => adapter.set('sid-1', session(fields, expires), done));
    const loaded = await call<Stored>((done) => adapter.get('sid-1', done));
    expect(loaded).toMatchObject(fields);
    expect(new Date(loaded.cookie.expires as string).getTime()).toBe(expires);
    expect((await store.get(adapter.keyOf('sid-1')))?.expiresAt).toBe(expires);
  });

  test('a session whose cookie has no expiry lives defaultTtl, by the adapter clock', async () => {
    const store = await open();
    const now = Date.now();
    const adapter = new FastifySessionStore({ store, defaultTtl: 60_000, clock: () => now });
    const browserSession = { cookie: { toJSON: () => ({ expires: null, originalMaxAge: null }) } };
    await call((done) => adapter.set('sid-1', { ...browserSession, userId: 'ada' }, done));
    expect((await store.get(adapter.keyOf('sid-1')))?.expiresAt).toBe(now + 60_000);
  });

  test('set of a session whose cookie already expired stores nothing', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    await call((done) => adapter.set('sid-1', session({ n: 1 }), done));
    await call((done) => adapter.set('sid-1', session({ n: 2 }, Date.now() - 1_000), done));
    expect(await call((done) => adapter.get('sid-1', done))).toBeNull();
  });

  // A difference from the default store, documented in the README: NaN is refused, not stored.
  test('a session holding NaN (an originalMaxAge from a bad value) fails with SERIALIZE', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    const expires = new Date(Date.now() + 60_000);
    const bad = { cookie: { toJSON: () => ({ expires, originalMaxAge: Number.NaN }) }, n: 1 };
    const failure = await call((done) => adapter.set('sid-1', bad, done)).catch((e) => e);
    expect(isSessionError(failure, 'SERIALIZE')).toBe(true);
    expect(await call((done) => adapter.get('sid-1', done))).toBeNull();
  });

  test('destroy, then get: gone', async () => {
    const adapter = new FastifySessionStore({ store: await open() });
    await call((done) => adapter.set('sid-1', session({ n: 1 }), done));
    await call((done) => adapter.destroy('sid-1', done));
    expect(await call((done) => adapter.get('sid-1', done))).toBeNull();
  });

  test('the ID is stored hashed by default, as itself with hashIds: false', async () => {
    const store = await open();
    const hashed = new FastifySessionStore({ store });
    const plain = new FastifySessionStore({ store, hashIds: false });
    await call((done) => hashed.set('sid-hashed', session({ n: 1 }), done));
    await call((done) => plain.set('sid-plain', session({ n: 2 }), done));
    expect(hashed.keyOf('sid-hashed')).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.get('sid-hashed')).toBeUndefined();
    expect((await store.get('sid-plain'))?.data.n).toBe(2);
  });
}
