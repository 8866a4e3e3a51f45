/** TTL-4: touch moves the expiry of a live record, and never creates or resurrects one. */
import assert from 'node:assert/strict';
import { defineChecks, hasNativeExpiry, hasPrune } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, expectNothingStored, inAMinute } from './support.js';

/** The TTL-4 checks. */
export const ttlTouchChecks = defineChecks('ttl-touch', [
  {
    name: 'extends',
    rule: 'TTL-4',
    title: 'touch to a later expiresAt returns true and keeps the record live past its old expiry',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const old = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt: old });
      assert.equal(await store.touch(key, old + 60_000), true);
      ctx.clock.set(old + 59_999);
      assert.equal((await store.get(key))?.expiresAt, old + 60_000);
    },
  },
  {
    name: 'long-lifetimes',
    rule: 'TTL-1',
    title:
      'lifetimes of 30 and 400 days are kept to the millisecond, by set and by touch (no clamping)',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const day = 24 * 60 * 60_000;
      const start = ctx.clock.now();
      const [month, longest] = [start + 30 * day + 7, start + 400 * day + 11];
      await store.set(key, { data: { a: 1 }, expiresAt: longest, userId: 'long' });
      assert.equal((await store.get(key))?.expiresAt, longest, 'set to +400 days');
      assert.equal(await store.touch(key, month), true);
      assert.equal((await store.get(key))?.expiresAt, month, 'touch to +30 days');
      assert.equal(await store.touch(key, longest), true);
      assert.equal((await store.get(key))?.expiresAt, longest, 'touch to +400 days');
      const [listed] = await expectListed(ctx, store, 'long', [key]);
      assert.equal(listed?.record.expiresAt, longest, 'listByUser after touch to +400 days');
      ctx.clock.set(longest - 1);
      assert.equal((await store.get(key))?.expiresAt, longest, 'live a millisecond before');
      ctx.clock.set(longest);
      assert.equal(await store.get(key), undefined, 'gone at its expiresAt');
    },
  },
  {
    name: 'shortens',
    rule: 'TTL-4',
    title: 'touch to an earlier (future) expiresAt returns true and the record expires then',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const start = ctx.clock.now();
      await store.set(key, { data: { a: 1 }, expiresAt: start + 60_000 });
      assert.equal(await store.touch(key, start + 10_000), true);
      assert.equal((await store.get(key))?.expiresAt, start + 10_000);
      ctx.clock.set(start + 10_000);
      assert.equal(await store.get(key), undefined);
    },
  },
  {
    name: 'keeps-data-and-user',
    rule: 'TTL-4',
    title: 'touch changes only expiresAt: data, userId and version stay',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { n: 7 }, expiresAt: inAMinute(ctx), userId: 'u1' });
      const expiresAt = inAMinute(ctx) + 30_000;
      assert.equal(await store.touch(key, expiresAt), true);
      assert.deepEqual(await store.get(key), {
        data: { n: 7 },
        expiresAt,
        userId: 'u1',
        version: 1,
      });
    },
  },
  {
    name: 'listed-with-new-expiry',
    rule: 'TTL-4',
    title: 'after touch, listByUser shows the new expiresAt',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'u1' });
      const expiresAt = inAMinute(ctx) + 30_000;
      await store.touch(key, expiresAt);
      const [entry] = await expectListed(ctx, store, 'u1', [key]);
      assert.equal(entry?.record.expiresAt, expiresAt);
    },
  },
  {
    name: 'missing-creates-nothing',
    rule: 'TTL-4',
    title: 'touch of a missing key returns false and creates nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      assert.equal(await store.touch(key, inAMinute(ctx)), false);
      assert.equal(await store.get(key), undefined);
      await expectNothingStored(raw, key, 'touch of a missing key');
    },
  },
  {
    name: 'expired-not-resurrected',
    rule: 'TTL-4',
    title: 'touch of an expired record returns false, and get and listByUser still do not see it',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt, userId: 'u1' });
      ctx.clock.set(expiresAt + 1);
      assert.equal(await store.touch(key, expiresAt + 3_600_000), false);
      assert.equal(await store.get(key), undefined);
      await expectListed(ctx, store, 'u1', []);
    },
  },
  {
    name: 'expired-not-extended-for-prune',
    rule: 'TTL-4',
    title: 'a failed touch of an expired record does not extend it: prune() still removes it',
    applies: hasPrune,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      ctx.clock.set(expiresAt + 1);
      assert.equal(await store.touch(key, expiresAt + 3_600_000), false);
      await store.prune?.();
      await expectNothingStored(raw, key, 'prune after a failed touch of an expired record');
    },
  },
  {
    name: 'expired-not-extended-natively',
    rule: 'TTL-4',
    title: "a failed touch of an expired record does not move the backend's native expiry",
    applies: hasNativeExpiry,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      assert.ok(
        raw.nativeExpiresAt,
        'a backend with native expiry must provide raw.nativeExpiresAt',
      );
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      ctx.clock.set(expiresAt + 1);
      assert.equal(await store.touch(key, expiresAt + 3_600_000), false);
      const native = await raw.nativeExpiresAt(key);
      assert.ok(
        native === undefined || native <= expiresAt + 1_000,
        `the native expiry moved to ${native}; the record expired at ${expiresAt}`,
      );
    },
  },
  {
    name: 'to-now-deletes',
    rule: 'TTL-4',
    title: 'touch of a live record to expiresAt <= now returns true and deletes it',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const [atNow, inPast] = [randomKey(), randomKey()];
      await store.set(atNow, { data: {}, expiresAt: inAMinute(ctx) });
      await store.set(inPast, { data: {}, expiresAt: inAMinute(ctx) });
      assert.equal(await store.touch(atNow, ctx.clock.now()), true, 'touch to now');
      assert.equal(await store.touch(inPast, ctx.clock.now() - 1_000), true, 'touch into the past');
      for (const key of [atNow, inPast]) {
        assert.equal(await store.get(key), undefined);
        await expectNothingStored(raw, key, 'touch to expiresAt <= now must delete');
      }
    },
  },
]);
