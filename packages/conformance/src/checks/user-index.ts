/** USER-1 and USER-2: listing and revoking all of a user's sessions. */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, expectNothingStored, inAMinute } from './support.js';

/** The USER-1 and USER-2 checks. */
export const userIndexChecks = defineChecks('user-index', [
  {
    name: 'list-exactly-own',
    rule: 'USER-1',
    title: "listByUser returns exactly the user's sessions, each with its full record",
    async run(ctx) {
      const { store } = await ctx.open();
      const expiresAt = inAMinute(ctx);
      const mine = [randomKey(), randomKey(), randomKey()];
      for (const [i, key] of mine.entries())
        await store.set(key, { data: { i }, expiresAt, userId: 'alice' });
      await store.set(randomKey(), { data: {}, expiresAt, userId: 'bob' });
      await store.set(randomKey(), { data: {}, expiresAt });
      const list = await expectListed(ctx, store, 'alice', mine);
      for (const { key, record } of list) {
        assert.deepEqual(record, {
          data: { i: mine.indexOf(key) },
          expiresAt,
          userId: 'alice',
          version: 1,
        });
      }
    },
  },
  {
    name: 'list-unknown-user',
    rule: 'USER-1',
    title: 'listByUser of a user without sessions resolves to []',
    async run(ctx) {
      const { store } = await ctx.open();
      await store.set(randomKey(), { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      assert.deepEqual(await store.listByUser('nobody'), []);
    },
  },
  {
    name: 'list-many',
    rule: 'USER-1',
    title: 'listByUser returns all of 60 sessions of one user (no page is lost)',
    async run(ctx) {
      const { store } = await ctx.open();
      const keys = Array.from({ length: 60 }, () => randomKey());
      await Promise.all(
        keys.map((key) =>
          store.set(key, { data: { key }, expiresAt: inAMinute(ctx), userId: 'busy' }),
        ),
      );
      await expectListed(ctx, store, 'busy', keys);
    },
  },
  {
    name: 'unicode-user-id',
    rule: 'USER-1',
    title: 'a userId with spaces, @ and non-ASCII letters is indexed like any other',
    async run(ctx) {
      const { store } = await ctx.open();
      const userId = 'Zoë Ångström <zoë@example.com> 名前 🙂';
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId });
      assert.equal((await store.get(key))?.userId, userId);
      await expectListed(ctx, store, userId, [key]);
      await expectListed(ctx, store, 'Zoë Ångström', []);
    },
  },
  {
    name: 'delete-by-user',
    rule: 'USER-2',
    title: "deleteByUser removes all of the user's sessions and resolves to how many",
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const keys = [randomKey(), randomKey(), randomKey()];
      for (const key of keys)
        await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', keys);
      assert.equal(await store.deleteByUser('alice'), 3);
      for (const key of keys) {
        assert.equal(await store.get(key), undefined);
        await expectNothingStored(raw, key, 'a session removed by deleteByUser');
      }
      await expectListed(ctx, store, 'alice', []);
    },
  },
  {
    name: 'delete-by-user-except',
    rule: 'USER-2',
    title: 'deleteByUser with except keeps that one session ("log out everywhere else")',
    async run(ctx) {
      const { store } = await ctx.open();
      const [keep, a, b] = [randomKey(), randomKey(), randomKey()];
      for (const key of [keep, a, b])
        await store.set(key, { data: { key }, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, store, 'alice', [keep, a, b]);
      assert.equal(await store.deleteByUser('alice', { except: keep }), 2);
      assert.deepEqual((await store.get(keep))?.data, { key: keep });
      assert.equal(await store.get(a), undefined);
      assert.equal(await store.get(b), undefined);
      await expectListed(ctx, store, 'alice', [keep]);
    },
  },
  {
    name: 'except-of-another-user',
    rule: 'USER-2',
    title:
      "an except naming another user's session protects nothing and touches nothing of the other user",
    async run(ctx) {
      const { store } = await ctx.open();
      const [mine, theirs] = [randomKey(), randomKey()];
      await store.set(mine, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.set(theirs, { data: {}, expiresAt: inAMinute(ctx), userId: 'bob' });
      await expectListed(ctx, store, 'alice', [mine]);
      assert.equal(await store.deleteByUser('alice', { except: theirs }), 1);
      assert.equal(await store.get(mine), undefined);
      assert.notEqual(await store.get(theirs), undefined);
    },
  },
  {
    name: 'others-untouched',
    rule: 'USER-2',
    title: "deleteByUser leaves other users' sessions and sessions without a user alone",
    async run(ctx) {
      const { store } = await ctx.open();
      const [alice, bob, anonymous] = [randomKey(), randomKey(), randomKey()];
      await store.set(alice, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await store.set(bob, { data: { b: 1 }, expiresAt: inAMinute(ctx), userId: 'bob' });
      await store.set(anonymous, { data: { x: 1 }, expiresAt: inAMinute(ctx) });
      await expectListed(ctx, store, 'alice', [alice]);
      await store.deleteByUser('alice');
      assert.deepEqual((await store.get(bob))?.data, { b: 1 });
      assert.deepEqual((await store.get(anonymous))?.data, { x: 1 });
      await expectListed(ctx, store, 'bob', [bob]);
    },
  },
  {
    name: 'delete-by-unknown-user',
    rule: 'USER-2',
    title: 'deleteByUser of a user without sessions resolves to 0',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      assert.equal(await store.deleteByUser('nobody'), 0);
      assert.notEqual(await store.get(key), undefined);
    },
  },
]);
