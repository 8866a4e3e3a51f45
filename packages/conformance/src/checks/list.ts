/**
 * LIST-1: the optional `list()` returns every live session of the store's namespace (with or
 * without a user), and nothing expired or foreign. Checked wherever the backend declares it.
 */
import assert from 'node:assert/strict';
import type { SessionStore } from '@sessions/core';
import { type CheckContext, defineChecks, hasList } from '../check.js';
import { eventually, randomKey } from '../util.js';
import { expectListed, inAMinute, indexLag, show } from './support.js';

/** Assert that list() returns exactly `keys`, polling up to the declared index lag. */
function expectAll(ctx: CheckContext, store: SessionStore<unknown>, keys: string[]) {
  return eventually(async () => {
    assert.ok(store.list, 'the store declares list() but has none');
    const all = await store.list();
    assert.deepEqual(
      all.map((s) => s.key).sort(),
      [...keys].sort(),
      `list() returned ${show(all.map((s) => s.key))}`,
    );
    return all;
  }, indexLag(ctx));
}

/** The LIST-1 checks of the optional list(). */
export const listChecks = defineChecks('list', [
  {
    name: 'declared',
    rule: 'LIST-1',
    title: 'the store has list() exactly when declared (capabilities.list, default true)',
    async run(ctx) {
      const { store } = await ctx.open();
      assert.equal(
        typeof store.list === 'function',
        hasList(ctx.capabilities),
        hasList(ctx.capabilities)
          ? 'the store has no list(): implement it or declare capabilities.list = false'
          : 'the store has list() but declares capabilities.list = false',
      );
    },
  },
  {
    name: 'every-live-session',
    rule: 'LIST-1',
    title: 'list() returns every live session with its full record, with or without a user',
    applies: hasList,
    async run(ctx) {
      const { store } = await ctx.open();
      const [a, b, c] = [randomKey(), randomKey(), randomKey()];
      const expiresAt = inAMinute(ctx);
      await store.set(a, { data: { n: 1 }, expiresAt, userId: 'alice' });
      await store.set(b, { data: { n: 2 }, expiresAt, userId: 'bob' });
      await store.set(c, { data: { n: 3 }, expiresAt });
      const all = await expectAll(ctx, store, [a, b, c]);
      assert.deepEqual(all.find((s) => s.key === a)?.record, {
        data: { n: 1 },
        expiresAt,
        userId: 'alice',
        version: 1,
      });
      assert.deepEqual(all.find((s) => s.key === c)?.record, {
        data: { n: 3 },
        expiresAt,
        version: 1,
      });
    },
  },
  {
    name: 'empty',
    rule: 'LIST-1',
    title: 'list() of an empty namespace, and after clear(), resolves to []',
    applies: hasList,
    async run(ctx) {
      const { store } = await ctx.open();
      await expectAll(ctx, store, []);
      await store.set(randomKey(), { data: {}, expiresAt: inAMinute(ctx) });
      await store.clear();
      await expectAll(ctx, store, []);
    },
  },
  {
    name: 'expiry-boundary',
    rule: 'LIST-1',
    title: 'list() leaves out a record at now == expiresAt and keeps one at expiresAt - 1',
    applies: hasList,
    async run(ctx) {
      const { store } = await ctx.open();
      const [live, expired] = [randomKey(), randomKey()];
      const start = ctx.clock.now();
      await store.set(live, { data: {}, expiresAt: start + 1_001 });
      await store.set(expired, { data: {}, expiresAt: start + 1_000 });
      ctx.clock.set(start + 1_000);
      await expectAll(ctx, store, [live]);
    },
  },
  {
    name: 'own-namespace-only',
    rule: 'LIST-1',
    title: "list() never returns another namespace's sessions",
    applies: hasList,
    async run(ctx) {
      const mine = await ctx.open();
      const other = await ctx.open({ namespace: `${ctx.namespace}_b` });
      const key = randomKey();
      await mine.store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await other.store.set(randomKey(), { data: {}, expiresAt: inAMinute(ctx) });
      await expectAll(ctx, mine.store, [key]);
    },
  },
  {
    name: 'follows-deletes',
    rule: 'LIST-1',
    title: 'list() no longer returns sessions removed by delete or deleteByUser',
    applies: hasList,
    async run(ctx) {
      const { store } = await ctx.open();
      const [deleted, revoked, kept] = [randomKey(), randomKey(), randomKey()];
      await store.set(deleted, { data: {}, expiresAt: inAMinute(ctx) });
      await store.set(revoked, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.set(kept, { data: {}, expiresAt: inAMinute(ctx) });
      await expectAll(ctx, store, [deleted, revoked, kept]);
      await expectListed(ctx, store, 'alice', [revoked]);
      await store.delete(deleted);
      await store.deleteByUser('alice');
      await expectAll(ctx, store, [kept]);
    },
  },
]);
