/** LIFE-1 and LIFE-2: close() ends a store for good (twice is fine); clear() empties it. */
import assert from 'node:assert/strict';
import type { SessionStore } from '@sessions/core';
import { type CheckSpec, defineChecks, hasList, hasPrune } from '../check.js';
import type { StoreCapabilities } from '../types.js';
import { randomKey } from '../util.js';
import { expectCode, expectListed, expectNothingStored, inAMinute } from './support.js';

type Call = (store: SessionStore<unknown>, key: string, expiresAt: number) => Promise<unknown>;

/** Every method; the optional ones are checked where the backend declares them. */
const CALLS: Array<{ method: string; call: Call; applies?: (c: StoreCapabilities) => boolean }> = [
  { method: 'get', call: (s, k) => s.get(k) },
  { method: 'set', call: (s, k, e) => s.set(k, { data: {}, expiresAt: e }) },
  { method: 'touch', call: (s, k, e) => s.touch(k, e) },
  { method: 'delete', call: (s, k) => s.delete(k) },
  { method: 'listByUser', call: (s) => s.listByUser('alice') },
  { method: 'deleteByUser', call: (s) => s.deleteByUser('alice') },
  { method: 'clear', call: (s) => s.clear() },
  {
    method: 'list',
    call: (s) => (s.list ? s.list() : Promise.resolve('no list()')),
    applies: hasList,
  },
  {
    method: 'prune',
    call: (s) => (s.prune ? s.prune() : Promise.resolve('no prune()')),
    applies: hasPrune,
  },
];

function closedCheck({ method, call, applies }: (typeof CALLS)[number]): CheckSpec {
  const spec: CheckSpec = {
    name: `closed-${method.toLowerCase()}`,
    rule: 'LIFE-1',
    title: `${method}() after close() rejects with CLOSED`,
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.close();
      await expectCode('CLOSED', `${method}() after close()`, () =>
        call(store, key, inAMinute(ctx)),
      );
    },
  };
  return applies ? { ...spec, applies } : spec;
}

/** The LIFE-1 and LIFE-2 checks: one per method after close(), and clear(). */
export const lifecycleChecks = defineChecks('lifecycle', [
  ...CALLS.map(closedCheck),
  {
    name: 'close-twice',
    rule: 'LIFE-1',
    title: 'close() twice resolves both times',
    async run(ctx) {
      const { store } = await ctx.open();
      await store.close();
      await store.close();
    },
  },
  {
    name: 'closed-writes-nothing',
    rule: 'LIFE-1',
    title: 'a set and a delete rejected after close() change nothing in the backend',
    async run(ctx) {
      const closing = await ctx.open();
      const observer = await ctx.open();
      const [kept, fresh] = [randomKey(), randomKey()];
      await closing.store.set(kept, { data: { kept: true }, expiresAt: inAMinute(ctx) });
      await closing.store.close();
      await expectCode('CLOSED', 'set after close()', () =>
        closing.store.set(fresh, { data: {}, expiresAt: inAMinute(ctx) }),
      );
      await expectCode('CLOSED', 'delete after close()', () => closing.store.delete(kept));
      await expectNothingStored(observer.raw, fresh, 'a set after close()');
      assert.deepStrictEqual((await observer.store.get(kept))?.data, { kept: true });
    },
  },
  {
    name: 'clear-empties',
    rule: 'LIFE-2',
    title: 'after clear(), get, listByUser and raw.read find nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const keys = [randomKey(), randomKey(), randomKey()];
      for (const key of keys)
        await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.clear();
      for (const key of keys) {
        assert.equal(await store.get(key), undefined);
        await expectNothingStored(raw, key, 'after clear()');
      }
      await expectListed(ctx, store, 'alice', []);
    },
  },
  {
    name: 'usable-after-clear',
    rule: 'LIFE-2',
    title: 'a store is usable after clear(): a key written again starts at version 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await store.clear();
      assert.deepStrictEqual(await store.set(key, { data: { n: 1 }, expiresAt: inAMinute(ctx) }), {
        version: 1,
      });
      assert.deepStrictEqual((await store.get(key))?.data, { n: 1 });
    },
  },
]);
