/** CAS-1 and CAS-2: versions, and conditional writes that change nothing when they fail. */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNothingStored, inAMinute } from './support.js';

/** The CAS-1 and CAS-2 checks: versions and conditional writes. */
export const casChecks = defineChecks('cas', [
  {
    name: 'create-is-version-1',
    rule: 'CAS-1',
    title: 'a new record gets version 1, in the set result and on get',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      assert.deepEqual(await store.set(key, { data: {}, expiresAt: inAMinute(ctx) }), {
        version: 1,
      });
      assert.equal((await store.get(key))?.version, 1);
    },
  },
  {
    name: 'write-bumps-version',
    rule: 'CAS-1',
    title: 'every set adds 1 to the version',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      for (let expected = 1; expected <= 3; expected++) {
        const { version } = await store.set(key, { data: { expected }, expiresAt: inAMinute(ctx) });
        assert.equal(version, expected);
      }
      assert.equal((await store.get(key))?.version, 3);
    },
  },
  {
    name: 'touch-keeps-version',
    rule: 'CAS-1',
    title: 'touch does not change the version',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) });
      await store.touch(key, inAMinute(ctx) + 10_000);
      assert.equal((await store.get(key))?.version, 2);
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx) }, { ifVersion: 2 });
    },
  },
  {
    name: 'input-version-ignored',
    rule: 'CAS-1',
    title: 'a version passed in the record is ignored: the store sets it',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      assert.deepEqual(await store.set(key, { data: {}, expiresAt: inAMinute(ctx), version: 42 }), {
        version: 1,
      });
      assert.equal((await store.get(key))?.version, 1);
    },
  },
  {
    name: 'recreated-is-version-1',
    rule: 'CAS-1',
    title: 'a record written after the previous one expired starts again at version 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: {}, expiresAt });
      await store.set(key, { data: {}, expiresAt });
      ctx.clock.set(expiresAt);
      assert.deepEqual(await store.set(key, { data: {}, expiresAt: expiresAt + 60_000 }), {
        version: 1,
      });
    },
  },
  {
    name: 'recreated-after-delete-is-version-1',
    rule: 'CAS-1',
    title: 'a record written after delete() starts again at version 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: {}, expiresAt });
      await store.set(key, { data: {}, expiresAt });
      assert.equal(await store.delete(key), true);
      assert.deepEqual(await store.set(key, { data: {}, expiresAt }), { version: 1 });
      assert.equal((await store.get(key))?.version, 1);
    },
  },
  {
    name: 'match-writes',
    rule: 'CAS-2',
    title: 'set with the stored version as ifVersion writes and bumps the version',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      const { version } = await store.set(key, { data: { n: 1 }, expiresAt });
      assert.deepEqual(
        await store.set(key, { data: { n: 2 }, expiresAt }, { ifVersion: version }),
        { version: 2 },
      );
      assert.deepEqual(await store.get(key), { data: { n: 2 }, expiresAt, version: 2 });
    },
  },
  {
    name: 'mismatch-changes-nothing',
    rule: 'CAS-2',
    title: 'set with another ifVersion throws CONFLICT and changes nothing (get and raw)',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { n: 1 }, expiresAt, userId: 'u1' });
      await store.set(key, { data: { n: 2 }, expiresAt, userId: 'u1' });
      const before = await raw.read(key);
      for (const ifVersion of [1, 3]) {
        await expectCode('CONFLICT', `set with ifVersion ${ifVersion} over version 2`, () =>
          store.set(
            key,
            { data: { n: 99 }, expiresAt: expiresAt + 1, userId: 'u2' },
            { ifVersion },
          ),
        );
      }
      assert.deepEqual(await store.get(key), {
        data: { n: 2 },
        expiresAt,
        userId: 'u1',
        version: 2,
      });
      assert.deepEqual(await raw.read(key), before, 'the backend entry changed');
    },
  },
  {
    name: 'zero-on-absent',
    rule: 'CAS-2',
    title: 'ifVersion 0 ("must not exist") on a missing key creates version 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      assert.deepEqual(
        await store.set(key, { data: { n: 1 }, expiresAt: inAMinute(ctx) }, { ifVersion: 0 }),
        {
          version: 1,
        },
      );
      assert.deepEqual((await store.get(key))?.data, { n: 1 });
    },
  },
  {
    name: 'zero-on-live-conflicts',
    rule: 'CAS-2',
    title: 'ifVersion 0 on a live record throws CONFLICT and keeps it',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { n: 1 }, expiresAt });
      await expectCode('CONFLICT', 'set with ifVersion 0 over a live record', () =>
        store.set(key, { data: { n: 2 }, expiresAt }, { ifVersion: 0 }),
      );
      assert.deepEqual(await store.get(key), { data: { n: 1 }, expiresAt, version: 1 });
    },
  },
  {
    name: 'zero-on-expired',
    rule: 'CAS-2',
    title: 'ifVersion 0 on an expired (not yet removed) record succeeds: expired counts as absent',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { n: 1 }, expiresAt });
      ctx.clock.set(expiresAt);
      const next = expiresAt + 60_000;
      assert.deepEqual(
        await store.set(key, { data: { n: 2 }, expiresAt: next }, { ifVersion: 0 }),
        { version: 1 },
      );
      assert.deepEqual(await store.get(key), { data: { n: 2 }, expiresAt: next, version: 1 });
    },
  },
  {
    name: 'old-version-on-expired-conflicts',
    rule: 'CAS-2',
    title: 'ifVersion of a record that has since expired throws CONFLICT and stores nothing',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      const { version } = await store.set(key, { data: { n: 1 }, expiresAt });
      ctx.clock.set(expiresAt);
      await expectCode('CONFLICT', 'set with the version of an expired record', () =>
        store.set(key, { data: { n: 2 }, expiresAt: expiresAt + 60_000 }, { ifVersion: version }),
      );
      assert.equal(await store.get(key), undefined);
    },
  },
  {
    name: 'after-delete-conflicts',
    rule: 'CAS-2',
    title: 'ifVersion of a deleted record throws CONFLICT and stores nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const { version } = await store.set(key, { data: { n: 1 }, expiresAt: inAMinute(ctx) });
      await store.delete(key);
      await expectCode('CONFLICT', 'set with the version of a deleted record', () =>
        store.set(key, { data: { n: 2 }, expiresAt: inAMinute(ctx) }, { ifVersion: version }),
      );
      await expectNothingStored(raw, key, 'a conflicting set after delete');
    },
  },
]);
