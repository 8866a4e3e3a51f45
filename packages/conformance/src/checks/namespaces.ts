/**
 * NS-1: stores on one backend with different namespaces never see each other; stores with the
 * same namespace (two instances of one app) see the same records.
 */
import assert from 'node:assert/strict';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, inAMinute } from './support.js';

/** The NS-1 checks. */
export const namespaceChecks = defineChecks('namespaces', [
  {
    name: 'keys-isolated',
    rule: 'NS-1',
    title: "the same key in two namespaces holds two records; neither store sees the other's",
    async run(ctx) {
      const a = await ctx.open();
      const b = await ctx.open({ namespace: `${ctx.namespace}_b` });
      const key = randomKey();
      await a.store.set(key, { data: { owner: 'a' }, expiresAt: inAMinute(ctx) });
      assert.equal(await b.store.get(key), undefined, 'namespace b sees a record of namespace a');
      assert.equal(
        await b.raw.read(key),
        undefined,
        "namespace b's raw access sees a record of namespace a",
      );
      await b.store.set(key, { data: { owner: 'b' }, expiresAt: inAMinute(ctx) });
      assert.deepEqual(await a.store.get(key), {
        data: { owner: 'a' },
        expiresAt: inAMinute(ctx),
        version: 1,
      });
      assert.deepEqual((await b.store.get(key))?.data, { owner: 'b' });
    },
  },
  {
    name: 'delete-and-touch-isolated',
    rule: 'NS-1',
    title: "delete and touch in one namespace do not reach another namespace's record",
    async run(ctx) {
      const a = await ctx.open();
      const b = await ctx.open({ namespace: `${ctx.namespace}_b` });
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await a.store.set(key, { data: {}, expiresAt });
      assert.equal(await b.store.touch(key, expiresAt + 60_000), false);
      assert.equal(await b.store.delete(key), false);
      assert.equal((await a.store.get(key))?.expiresAt, expiresAt);
    },
  },
  {
    name: 'clear-own-only',
    rule: 'NS-1',
    title: 'clear() empties its own namespace and nothing else',
    async run(ctx) {
      const a = await ctx.open();
      const b = await ctx.open({ namespace: `${ctx.namespace}_b` });
      const [ka, kb] = [randomKey(), randomKey()];
      await a.store.set(ka, { data: {}, expiresAt: inAMinute(ctx), userId: 'u1' });
      await b.store.set(kb, { data: { b: 1 }, expiresAt: inAMinute(ctx), userId: 'u1' });
      await a.store.clear();
      assert.equal(await a.store.get(ka), undefined);
      assert.deepEqual((await b.store.get(kb))?.data, { b: 1 });
      assert.notEqual(await b.raw.read(kb), undefined, "clear() removed another namespace's entry");
      await expectListed(ctx, b.store, 'u1', [kb]);
    },
  },
  {
    name: 'user-index-isolated',
    rule: 'NS-1',
    title: 'listByUser and deleteByUser see only their own namespace',
    async run(ctx) {
      const a = await ctx.open();
      const b = await ctx.open({ namespace: `${ctx.namespace}_b` });
      const [ka, kb] = [randomKey(), randomKey()];
      await a.store.set(ka, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await b.store.set(kb, { data: {}, expiresAt: inAMinute(ctx), userId: 'alice' });
      await expectListed(ctx, a.store, 'alice', [ka]);
      await expectListed(ctx, b.store, 'alice', [kb]);
      assert.equal(await a.store.deleteByUser('alice'), 1);
      assert.notEqual(
        await b.store.get(kb),
        undefined,
        "deleteByUser removed another namespace's session",
      );
      await expectListed(ctx, b.store, 'alice', [kb]);
    },
  },
  {
    name: 'no-prefix-collision',
    rule: 'NS-1',
    title: 'namespace "n" with key "x:y" and namespace "n:x" with key "y" are different records',
    async run(ctx) {
      // Both names are valid; a store that joins namespace and key with ':' confuses them.
      const a = await ctx.open();
      const b = await ctx.open({ namespace: `${ctx.namespace}:x` });
      await a.store.set('x:y', { data: { owner: 'a' }, expiresAt: inAMinute(ctx) });
      assert.equal(await b.store.get('y'), undefined);
      await b.store.set('y', { data: { owner: 'b' }, expiresAt: inAMinute(ctx) });
      assert.deepEqual((await a.store.get('x:y'))?.data, { owner: 'a' });
      await b.store.clear();
      assert.deepEqual((await a.store.get('x:y'))?.data, { owner: 'a' });
    },
  },
  {
    name: 'same-namespace-shared',
    rule: 'NS-1',
    title: 'two stores on the same namespace (two app instances) share records and the user index',
    async run(ctx) {
      const first = await ctx.open();
      const second = await ctx.open();
      const key = randomKey();
      await first.store.set(key, { data: { n: 1 }, expiresAt: inAMinute(ctx), userId: 'alice' });
      assert.deepEqual((await second.store.get(key))?.data, { n: 1 });
      await expectListed(ctx, second.store, 'alice', [key]);
      assert.equal(await second.store.deleteByUser('alice'), 1);
      assert.equal(await first.store.get(key), undefined);
    },
  },
]);
