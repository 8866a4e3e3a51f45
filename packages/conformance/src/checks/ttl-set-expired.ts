/** TTL-3: `set` with `expiresAt <= now` deletes whatever is there and stores nothing. */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import {
  expectCode,
  expectListed,
  expectNothingStored,
  expectNotInDump,
  inAMinute,
  marker,
} from './support.js';

/** The TTL-3 checks. */
export const ttlSetExpiredChecks = defineChecks('ttl-set-expired', [
  {
    name: 'past-deletes-existing',
    rule: 'TTL-3',
    title: 'set with expiresAt in the past deletes the existing record',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: { a: 2 }, expiresAt: ctx.clock.now() - 1_000 });
      assert.equal(await store.get(key), undefined);
      await expectNothingStored(raw, key, 'set in the past must delete');
    },
  },
  {
    name: 'past-stores-nothing',
    rule: 'TTL-3',
    title: 'set with expiresAt in the past on a missing key stores nothing at all',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const mark = marker();
      await store.set(key, { data: { mark }, expiresAt: ctx.clock.now() - 1 });
      await expectNothingStored(raw, key, 'set in the past must store nothing');
      await expectNotInDump(raw, mark, 'the data of a record set in the past');
    },
  },
  {
    name: 'at-now-deletes',
    rule: 'TTL-3',
    title: 'set with expiresAt == now deletes the existing record and stores nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: { a: 2 }, expiresAt: ctx.clock.now() });
      assert.equal(await store.get(key), undefined);
      await expectNothingStored(raw, key, 'set with expiresAt == now must delete');
    },
  },
  {
    name: 'now-plus-one-stores',
    rule: 'TTL-3',
    title: 'set with expiresAt == now + 1 stores a live record',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = ctx.clock.now() + 1;
      assert.deepEqual(await store.set(key, { data: { a: 1 }, expiresAt }), { version: 1 });
      assert.equal((await store.get(key))?.expiresAt, expiresAt);
    },
  },
  {
    name: 'resolves-version-0',
    rule: 'TTL-3',
    title: 'set in the past resolves to { version: 0 }: nothing is stored',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      assert.deepEqual(await store.set(key, { data: {}, expiresAt: ctx.clock.now() - 5 }), {
        version: 0,
      });
    },
  },
  {
    name: 'past-leaves-user-index',
    rule: 'TTL-3',
    title: "set in the past removes the session from its user's list",
    async run(ctx) {
      const { store } = await ctx.open();
      const [key, other] = [randomKey(), randomKey()];
      await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId: 'u1' });
      await store.set(other, { data: {}, expiresAt: inAMinute(ctx), userId: 'u1' });
      await expectListed(ctx, store, 'u1', [key, other]);
      await store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1, userId: 'u1' });
      await expectListed(ctx, store, 'u1', [other]);
    },
  },
  {
    name: 'past-with-matching-version',
    rule: 'TTL-3',
    title: 'set in the past with a matching ifVersion deletes the record',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const { version } = await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      await store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1 }, { ifVersion: version });
      await expectNothingStored(raw, key, 'a conditional set in the past must delete');
    },
  },
  {
    name: 'past-with-wrong-version',
    rule: 'TTL-3',
    title: 'set in the past with a wrong ifVersion throws CONFLICT and keeps the record',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { a: 1 }, expiresAt });
      await expectCode('CONFLICT', 'set in the past with ifVersion 7', () =>
        store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1 }, { ifVersion: 7 }),
      );
      assert.deepEqual(await store.get(key), { data: { a: 1 }, expiresAt, version: 1 });
    },
  },
  {
    name: 'past-with-version-on-missing',
    rule: 'TTL-3',
    title:
      'set in the past with ifVersion 1 on a missing key throws CONFLICT; ifVersion 0 does not',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      // A deleting set is still a conditional write: nothing there is not version 1.
      await expectCode('CONFLICT', 'set in the past with ifVersion 1 on a missing key', () =>
        store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1 }, { ifVersion: 1 }),
      );
      // "Must not exist" holds for a missing key: the deleting set succeeds and stores nothing.
      assert.deepEqual(
        await store.set(key, { data: {}, expiresAt: ctx.clock.now() - 1 }, { ifVersion: 0 }),
        { version: 0 },
      );
      await expectNothingStored(raw, key, 'a conditional set in the past must store nothing');
    },
  },
]);
