// express-session's Store API, as its docs define it, called directly.
import { isSessionError, type SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { ExpressSessionStore } from '../../src/index.js';
import { closedAfterEach } from '../app.js';
import { fieldsOf, MINUTE, sessionData, viaCallback } from './support.js';

export function storeApiCompat(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);
  const adapter = async () => new ExpressSessionStore({ store: await open() });

  test('get of an unknown ID calls back (null, null)', async () => {
    const store = await adapter();
    expect(await viaCallback((cb) => store.get('nobody', cb))).toEqual([null, null]);
  });

  test('set then get returns the fields, nested values included', async () => {
    const store = await adapter();
    await store.set('sid-1', sessionData({ cart: ['tea', { sku: 'jam', qty: 2 }], n: 1.5 }));
    expect(await fieldsOf(store, 'sid-1')).toMatchObject({
      cart: ['tea', { sku: 'jam', qty: 2 }],
      n: 1.5,
      cookie: { originalMaxAge: 30 * MINUTE, httpOnly: true, path: '/' },
    });
  });

  test('set is an upsert: a second set replaces the first', async () => {
    const store = await adapter();
    await store.set('sid-1', sessionData({ a: 1 }));
    await store.set('sid-1', sessionData({ b: 2 }));
    const stored = await fieldsOf(store, 'sid-1');
    expect(stored).toMatchObject({ b: 2 });
    expect(stored).not.toHaveProperty('a');
  });

  test('a NaN (cookie.originalMaxAge) is refused as SERIALIZE, and nothing is stored', async () => {
    const store = await adapter();
    const sess = sessionData();
    (sess.cookie as unknown as Record<string, unknown>).originalMaxAge = Number.NaN;
    const [err] = await viaCallback((cb) => store.set('sid-1', sess, cb));
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
    expect(await store.get('sid-1')).toBeNull();
  });

  test('a session whose cookie has expired is gone', async () => {
    const store = await adapter();
    await store.set('sid-1', sessionData({ a: 1 }, Date.now() - 1000));
    expect(await store.get('sid-1')).toBeNull();
    expect(await store.length()).toBe(0);
  });

  test('touch of an unknown ID succeeds and creates nothing', async () => {
    const store = await adapter();
    expect((await viaCallback((cb) => store.touch('nobody', sessionData(), cb)))[0]).toBeNull();
    expect(await store.length()).toBe(0);
  });

  test('touch keeps the data, and get reads the touched cookie.expires', async () => {
    const store = await adapter();
    const later = Date.now() + 50 * MINUTE;
    await store.set('sid-1', sessionData({ a: 1 }));
    await store.touch('sid-1', sessionData({ a: 'ignored by touch' }, later));
    const stored = await fieldsOf(store, 'sid-1');
    expect(stored?.a).toBe(1);
    const cookie = stored?.cookie as { expires: string } | undefined;
    expect(new Date(cookie?.expires ?? 0).getTime()).toBe(later);
  });

  test('destroy removes the session; destroying an unknown ID is no error', async () => {
    const store = await adapter();
    await store.set('sid-1', sessionData());
    expect((await viaCallback((cb) => store.destroy('sid-1', cb)))[0]).toBeNull();
    expect(await store.get('sid-1')).toBeNull();
    expect((await viaCallback((cb) => store.destroy('sid-1', cb)))[0]).toBeNull();
  });

  test('all, length and clear, in both styles', async () => {
    const store = await adapter();
    expect(await store.all()).toEqual([]);
    expect(await viaCallback((cb) => store.length(cb))).toEqual([null, 0]);
    await store.set('sid-1', sessionData({ n: 1 }));
    await store.set('sid-2', sessionData({ n: 2 }));
    const [err, all] = await viaCallback((cb) => store.all(cb));
    expect(err).toBeNull();
    expect((all as Array<{ n: number }>).map((s) => s.n).sort()).toEqual([1, 2]);
    expect(await store.length()).toBe(2);
    expect((await viaCallback((cb) => store.clear(cb)))[0]).toBeNull();
    expect(await store.length()).toBe(0);
  });
}
