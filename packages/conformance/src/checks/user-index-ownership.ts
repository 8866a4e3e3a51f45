/** USER-3: the user index follows every write, so a list never shows a session a user lost. */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, inAMinute } from './support.js';

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
]);
