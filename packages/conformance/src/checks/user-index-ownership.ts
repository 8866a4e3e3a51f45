/** USER-3: the user index follows every write, so a list never shows a session a user lost. */
import assert from 'node:assert/strict';
import type { SessionStore } from '@sessions/core';
import { type CheckContext, type CheckSpec, defineChecks, hasPrune } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectListed, inAMinute } from './support.js';

/** How a session can leave the store, each a way to leave a stale user-index entry behind. */
const REMOVALS: Array<{
  name: string;
  label: string;
  applies?: CheckSpec['applies'];
  remove(ctx: CheckContext, store: SessionStore<unknown>, key: string): Promise<unknown>;
}> = [
  { name: 'delete', label: 'delete()', remove: (_ctx, store, key) => store.delete(key) },
  { name: 'clear', label: 'clear()', remove: (_ctx, store) => store.clear() },
  {
    name: 'set-in-past',
    label: 'a set in the past',
    remove: (ctx, store, key) => store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1 }),
  },
  {
    name: 'prune',
    label: 'prune()',
    applies: hasPrune,
    async remove(ctx, store) {
      ctx.clock.advance(120_000);
      await store.prune?.();
    },
  },
];

/**
 * A session removed one of these ways, then written again for another user (or none): the old
 * user's index entry, if the removal left one, now points at a live record that is not theirs.
 */
function noLeftoverCheck(removal: (typeof REMOVALS)[number]): CheckSpec {
  return {
    name: `no-leftover-after-${removal.name}`,
    rule: 'USER-3',
    title: `a session removed by ${removal.label} and written again for others is neither listed nor deleted under its old user`,
    ...(removal.applies ? { applies: removal.applies } : {}),
    async run(ctx) {
      const { store } = await ctx.open();
      const [key, ownerless] = [randomKey(), randomKey()];
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.set(ownerless, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [key, ownerless]);
      await removal.remove(ctx, store, key);
      await removal.remove(ctx, store, ownerless);
      await store.set(key, { data: { bob: true }, expiresAt: inAMinute(ctx), userId: 'bob' });
      await store.set(ownerless, { data: { nobody: true }, expiresAt: inAMinute(ctx) });
      await expectListed(ctx, store, 'alice', []);
      assert.equal(await store.deleteByUser('alice'), 0, "deleteByUser('alice') removed others'");
      assert.equal((await store.get(key))?.userId, 'bob');
      assert.deepEqual((await store.get(ownerless))?.data, { nobody: true });
      await expectListed(ctx, store, 'bob', [key]);
    },
  };
}

/** The USER-3 checks. */
export const userIndexOwnershipChecks = defineChecks('user-index-ownership', [
  {
    name: 'reassigned',
    rule: 'USER-3',
    title: "a session re-set with another userId leaves the old user's list and joins the new one",
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [key]);
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'bob' });
      await expectListed(ctx, store, 'alice', []);
      await expectListed(ctx, store, 'bob', [key]);
      assert.equal(await store.deleteByUser('alice'), 0);
      assert.equal((await store.get(key))?.userId, 'bob');
    },
  },
  {
    name: 'owner-dropped',
    rule: 'USER-3',
    title: "a session re-set without userId leaves the old user's list, and deleteByUser spares it",
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [key]);
      await store.set(key, { data: { anonymous: true }, expiresAt: inAMinute(ctx) });
      await expectListed(ctx, store, 'alice', []);
      assert.equal(await store.deleteByUser('alice'), 0);
      assert.deepEqual((await store.get(key))?.data, { anonymous: true });
    },
  },
  {
    name: 'owner-added',
    rule: 'USER-3',
    title: "a session first set without userId, then with one, joins that user's list",
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [key]);
    },
  },
  {
    name: 'delete-unlists',
    rule: 'USER-3',
    title: "delete() removes the session from its user's list",
    async run(ctx) {
      const { store } = await ctx.open();
      const [gone, kept] = [randomKey(), randomKey()];
      await store.set(gone, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.set(kept, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [gone, kept]);
      await store.delete(gone);
      await expectListed(ctx, store, 'alice', [kept]);
      assert.equal(await store.deleteByUser('alice'), 1);
    },
  },
  {
    name: 'recreated-after-delete-by-user',
    rule: 'USER-3',
    title: 'a key removed by deleteByUser and written again is listed again, once',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [key]);
      await store.deleteByUser('alice');
      await expectListed(ctx, store, 'alice', []);
      await store.set(key, { data: { again: true }, expiresAt: inAMinute(ctx), userId: 'alice' });
      const [entry] = await expectListed(ctx, store, 'alice', [key]);
      assert.deepEqual(entry?.record.data, { again: true });
    },
  },
  ...REMOVALS.map(noLeftoverCheck),
  {
    name: 'conflict-keeps-listing',
    rule: 'USER-3',
    title: 'a set refused with CONFLICT leaves the session listed under its user, and nowhere else',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      for (const [ifVersion, userId] of [
        [7, 'alice'],
        [7, 'bob'],
        [0, 'bob'],
        [0, undefined],
      ] as const) {
        await expectCode('CONFLICT', `set with ifVersion ${ifVersion}`, () =>
          store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId }, { ifVersion }),
        );
      }
      await expectListed(ctx, store, 'alice', [key]);
      await expectListed(ctx, store, 'bob', []);
    },
  },
  {
    name: 'delete-by-user-racing-reassignment',
    rule: 'USER-2',
    title:
      "deleteByUser racing the reassignment of one of the user's sessions to another user never removes the other user's session",
    async run(ctx) {
      const [first, second] = [await ctx.open(), await ctx.open()];
      for (let round = 0; round < 15; round++) {
        const keys = [randomKey(), randomKey(), randomKey()];
        for (const key of keys)
          await first.store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
        await expectListed(ctx, first.store, 'alice', keys);
        const moved = keys[round % keys.length] as string;
        await Promise.all([
          first.store.deleteByUser('alice'),
          second.store.set(moved, { data: { round }, expiresAt: inAMinute(ctx), userId: 'bob' }),
        ]);
        // In either order the reassignment ends with bob's session: it must survive.
        const survivor = await first.store.get(moved);
        assert.deepEqual(
          survivor && { data: survivor.data, userId: survivor.userId },
          { data: { round }, userId: 'bob' },
          `round ${round}: bob's session was removed by deleteByUser('alice')`,
        );
        await first.store.delete(moved);
      }
    },
  },
]);
