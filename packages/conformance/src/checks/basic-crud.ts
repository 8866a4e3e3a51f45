/** CRUD: the plain operations, before any expiry or concurrency enters. */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectNothingStored, inAMinute } from './support.js';

/** The CRUD checks. */
export const basicCrudChecks = defineChecks('basic-crud', [
  {
    name: 'get-missing',
    rule: 'CRUD',
    title: 'get of a key never written resolves to undefined',
    async run(ctx) {
      const { store } = await ctx.open();
      assert.equal(await store.get(randomKey()), undefined);
    },
  },
  {
    name: 'set-then-get',
    rule: 'CRUD',
    title: 'set then get returns the data, expiresAt, userId and version',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      const result = await store.set(key, { data: { n: 1, s: 'x' }, expiresAt, userId: 'alice' });
      assert.deepEqual(result, { version: 1 });
      const record = await store.get(key);
      assert.deepEqual(record, { data: { n: 1, s: 'x' }, expiresAt, userId: 'alice', version: 1 });
    },
  },
  {
    name: 'set-without-user',
    rule: 'CRUD',
    title: 'a record set without userId is returned without one',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      const record = await store.get(key);
      assert.ok(record, 'the record should be there');
      assert.equal(record.userId, undefined);
    },
  },
  {
    name: 'set-replaces',
    rule: 'CRUD',
    title: 'a second set replaces data, expiresAt and userId entirely',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, {
        data: { old: true, keep: 1 },
        expiresAt: inAMinute(ctx),
        userId: 'alice',
      });
      const expiresAt = inAMinute(ctx) + 5_000;
      await store.set(key, { data: { fresh: true }, expiresAt, userId: 'bob' });
      assert.deepEqual(await store.get(key), {
        data: { fresh: true },
        expiresAt,
        userId: 'bob',
        version: 2,
      });
    },
  },
  {
    name: 'delete-live',
    rule: 'CRUD',
    title: 'delete of a live record resolves true, removes it, and a second delete resolves false',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      assert.equal(await store.delete(key), true);
      assert.equal(await store.get(key), undefined);
      await expectNothingStored(raw, key, 'after delete');
      assert.equal(await store.delete(key), false);
    },
  },
  {
    name: 'delete-missing',
    rule: 'CRUD',
    title: 'delete of a key never written resolves false and stores nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      assert.equal(await store.delete(key), false);
      await expectNothingStored(raw, key, 'after deleting a missing key');
    },
  },
  {
    name: 'keys-independent',
    rule: 'CRUD',
    title: 'writing and deleting one key leaves other keys alone',
    async run(ctx) {
      const { store } = await ctx.open();
      const [a, b] = [randomKey(), randomKey()];
      const expiresAt = inAMinute(ctx);
      await store.set(a, { data: { who: 'a' }, expiresAt });
      await store.set(b, { data: { who: 'b' }, expiresAt });
      await store.delete(a);
      assert.deepEqual((await store.get(b))?.data, { who: 'b' });
    },
  },
  {
    name: 'raw-sees-writes',
    rule: 'CRUD',
    title: 'a set lands in the backend (raw.read finds it), so the raw checks are meaningful',
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { a: 1 }, expiresAt: inAMinute(ctx) });
      assert.notEqual(await raw.read(key), undefined, 'raw.read should find what set wrote');
      assert.ok(typeof (await raw.dump()) === 'string', 'raw.dump should resolve to a string');
    },
  },
]);
