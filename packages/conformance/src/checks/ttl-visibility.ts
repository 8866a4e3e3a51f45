/**
 * TTL-1 and TTL-2: a record is live iff `clock() < expiresAt`, judged by the injected clock
 * and never by what the backend still holds.
 */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, inAMinute } from './support.js';

/** The TTL-1 and TTL-2 checks. */
export const ttlVisibilityChecks = defineChecks('ttl-visibility', [
  {
    name: 'get-live-before-expiry',
    rule: 'TTL-1',
    title: 'get returns the record at now == expiresAt - 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      ctx.clock.set(expiresAt - 1);
      assert.equal((await store.get(key))?.expiresAt, expiresAt);
    },
  },
  {
    name: 'get-expired-at-boundary',
    rule: 'TTL-1',
    title: 'get returns undefined at now == expiresAt',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      ctx.clock.set(expiresAt);
      assert.equal(await store.get(key), undefined);
    },
  },
  {
    name: 'get-expired-later',
    rule: 'TTL-2',
    title:
      'get returns undefined once the clock has passed expiresAt, though the server still holds it',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      ctx.clock.advance(3_600_000);
      assert.equal(await store.get(key), undefined);
    },
  },
  {
    name: 'app-clock-behind-server',
    rule: 'TTL-2',
    title:
      'a record live by an app clock an hour behind the server stays visible (native TTL is not the truth)',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      ctx.clock.advance(-3_600_000);
      // Ten minutes ahead by the app clock, fifty minutes ago by the server's.
      const expiresAt = ctx.clock.now() + 600_000;
      await store.set(key, { data: { a: 1 }, expiresAt, userId: 'skewed' });
      assert.deepEqual((await store.get(key))?.data, { a: 1 });
      assert.equal(await store.touch(key, expiresAt + 1_000), true);
      await expectListed(ctx, store, 'skewed', [key]);
    },
  },
  {
    name: 'touch-at-boundary',
    rule: 'TTL-1',
    title: 'touch returns false at now == expiresAt and true at now == expiresAt - 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const [live, expired] = [randomKey(), randomKey()];
      const start = ctx.clock.now();
      await store.set(live, { data: {}, expiresAt: start + 1_001 });
      await store.set(expired, { data: {}, expiresAt: start + 1_000 });
      ctx.clock.set(start + 1_000);
      assert.equal(await store.touch(expired, start + 60_000), false, 'touch at now == expiresAt');
      assert.equal(await store.touch(live, start + 60_000), true, 'touch at now == expiresAt - 1');
    },
  },
  {
    name: 'list-at-boundary',
    rule: 'TTL-1',
    title: 'listByUser leaves out a record at now == expiresAt and keeps one at expiresAt - 1',
    async run(ctx) {
      const { store } = await ctx.open();
      const [live, expired] = [randomKey(), randomKey()];
      const start = ctx.clock.now();
      await store.set(live, { data: {}, expiresAt: start + 1_001, userId: 'u1' });
      await store.set(expired, { data: {}, expiresAt: start + 1_000, userId: 'u1' });
      await expectListed(ctx, store, 'u1', [live, expired]);
      ctx.clock.set(start + 1_000);
      await expectListed(ctx, store, 'u1', [live]);
    },
  },
  {
    name: 'fractional-clock',
    rule: 'TTL-1',
    title:
      'a clock with fractions of a millisecond: writes, compare-and-set and touch work, live until expiresAt',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      // Like performance.timeOrigin + performance.now(): more digits than a whole ms has.
      const start = Math.floor(ctx.clock.now());
      ctx.clock.set(start + 0.123456);
      const expiresAt = start + 60_000;
      const record = { data: {}, expiresAt, userId: 'u1' };
      assert.deepEqual(await store.set(key, record), { version: 1 });
      assert.deepEqual(await store.set(key, record), { version: 2 });
      assert.deepEqual(await store.set(key, record, { ifVersion: 2 }), { version: 3 });
      ctx.clock.set(expiresAt - 0.5);
      assert.equal((await store.get(key))?.version, 3, 'get half a millisecond before expiry');
      await expectListed(ctx, store, 'u1', [key]);
      assert.equal(await store.touch(key, expiresAt + 1_000), true, 'touch before expiry');
      ctx.clock.set(expiresAt + 1_000.25);
      assert.equal(await store.get(key), undefined, 'get a quarter of a millisecond after expiry');
      assert.equal(await store.touch(key, expiresAt + 60_000), false, 'touch after expiry');
      const again = { data: {}, expiresAt: expiresAt + 120_000 };
      assert.deepEqual(await store.set(key, again, { ifVersion: 0 }), { version: 1 });
    },
  },
  {
    name: 'list-after-expiry',
    rule: 'TTL-2',
    title: 'listByUser returns nothing once every session of the user has expired by the clock',
    async run(ctx) {
      const { store } = await ctx.open();
      const expiresAt = inAMinute(ctx);
      await store.set(randomKey(), { data: {}, expiresAt, userId: 'u1' });
      await store.set(randomKey(), { data: {}, expiresAt: expiresAt + 10, userId: 'u1' });
      ctx.clock.set(expiresAt + 10);
      await expectListed(ctx, store, 'u1', []);
    },
  },
  {
    name: 'delete-expired',
    rule: 'TTL-2',
    title: 'delete of an expired record resolves false (only live records count as removed)',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: {}, expiresAt });
      ctx.clock.set(expiresAt);
      assert.equal(await store.delete(key), false);
      assert.equal(await store.get(key), undefined);
    },
  },
  {
    name: 'delete-by-user-counts-live',
    rule: 'TTL-2',
    title: 'deleteByUser counts only the sessions that were live by the clock',
    async run(ctx) {
      const { store } = await ctx.open();
      const start = ctx.clock.now();
      const [a, b, c] = [randomKey(), randomKey(), randomKey()];
      await store.set(a, { data: {}, expiresAt: start + 1_000, userId: 'u1' });
      await store.set(b, { data: {}, expiresAt: start + 60_000, userId: 'u1' });
      await store.set(c, { data: {}, expiresAt: start + 60_000, userId: 'u1' });
      await expectListed(ctx, store, 'u1', [a, b, c]);
      ctx.clock.set(start + 1_000);
      assert.equal(await store.deleteByUser('u1'), 2);
      assert.equal(await store.get(b), undefined);
    },
  },
]);
