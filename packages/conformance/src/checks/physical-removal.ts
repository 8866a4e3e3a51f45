/**
 * TTL-5: expired records do not stay in the backend forever. Native expiry is checked through
 * `raw.nativeExpiresAt`, `prune()` through `raw.read`; which applies is a declared capability.
 */
import assert from 'node:assert/strict';
import { defineChecks, hasNativeExpiry, hasPrune } from '../check.js';
import type { RawAccess } from '../types.js';
import { eventually, randomKey } from '../util.js';
import { expectListed, expectNothingStored, inAMinute } from './support.js';

/** How far a native expiry may sit from expiresAt: second-granular backends round. */
const NATIVE_SLACK_MS = 1_000;

async function expectNativeExpiry(
  raw: RawAccess,
  key: string,
  expiresAt: number,
  when: string,
): Promise<void> {
  assert.ok(raw.nativeExpiresAt, 'a backend with native expiry must provide raw.nativeExpiresAt');
  const native = await raw.nativeExpiresAt(key);
  assert.ok(native !== undefined, `${when}: no native expiry is set`);
  assert.ok(
    Math.abs(native - expiresAt) <= NATIVE_SLACK_MS,
    `${when}: the native expiry is ${native}, the record's expiresAt ${expiresAt}`,
  );
}

/** The TTL-5 checks. */
export const physicalRemovalChecks = defineChecks('physical-removal', [
  {
    name: 'prune-declared',
    rule: 'TTL-5',
    title: "the store has prune() exactly when declared (always when nativeExpiry is 'none')",
    async run(ctx) {
      const { store } = await ctx.open();
      const declared = hasPrune(ctx.capabilities);
      assert.equal(
        typeof store.prune === 'function',
        declared,
        declared
          ? 'the backend declares prune (or no native expiry) but the store has no prune()'
          : 'the store has prune(): declare capabilities.prune = true so the suite checks it',
      );
    },
  },
  {
    name: 'native-expiry-readable',
    rule: 'TTL-5',
    title: 'a backend with native expiry lets the suite read it (raw.nativeExpiresAt)',
    applies: hasNativeExpiry,
    async run(ctx) {
      const { raw } = await ctx.open();
      assert.equal(typeof raw.nativeExpiresAt, 'function');
    },
  },
  {
    name: 'prune-removes-expired',
    rule: 'TTL-5',
    title:
      'prune() physically removes every expired record, keeps the live ones, and counts what went',
    applies: hasPrune,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const start = ctx.clock.now();
      const expired = [randomKey(), randomKey(), randomKey()];
      const live = [randomKey(), randomKey()];
      for (const key of expired) await store.set(key, { data: { key }, expiresAt: start + 1_000 });
      for (const key of live) await store.set(key, { data: { key }, expiresAt: start + 120_000 });
      ctx.clock.set(start + 1_000);
      assert.equal(
        await store.prune?.(),
        expired.length,
        'prune() should resolve to how many went',
      );
      for (const key of expired)
        await expectNothingStored(raw, key, 'an expired record after prune()');
      for (const key of live)
        assert.notEqual(await raw.read(key), undefined, 'a live record must survive prune()');
    },
  },
  {
    name: 'prune-boundary',
    rule: 'TTL-5',
    title: 'prune() removes a record at now == expiresAt and keeps one at expiresAt - 1',
    applies: hasPrune,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const start = ctx.clock.now();
      const [atBoundary, justLive] = [randomKey(), randomKey()];
      await store.set(atBoundary, { data: {}, expiresAt: start + 1_000 });
      await store.set(justLive, { data: {}, expiresAt: start + 1_001 });
      ctx.clock.set(start + 1_000);
      await store.prune?.();
      await expectNothingStored(raw, atBoundary, 'a record at now == expiresAt after prune()');
      assert.notEqual(
        await raw.read(justLive),
        undefined,
        'a record at expiresAt - 1 must survive prune()',
      );
    },
  },
  {
    name: 'prune-keeps-live-intact',
    rule: 'TTL-5',
    title: 'after prune() a live record reads back whole and stays in its user index',
    applies: hasPrune,
    async run(ctx) {
      const { store } = await ctx.open();
      const [gone, kept] = [randomKey(), randomKey()];
      const start = ctx.clock.now();
      await store.set(gone, { data: { n: 1 }, expiresAt: start + 1_000, userId: 'u1' });
      await store.set(kept, { data: { n: 2 }, expiresAt: start + 120_000, userId: 'u1' });
      ctx.clock.set(start + 5_000);
      await store.prune?.();
      assert.deepEqual(await store.get(kept), {
        data: { n: 2 },
        expiresAt: start + 120_000,
        userId: 'u1',
        version: 1,
      });
      await expectListed(ctx, store, 'u1', [kept]);
    },
  },
  {
    name: 'prune-own-namespace-only',
    rule: 'NS-1',
    title: "prune() removes only its own namespace's expired records, never another's",
    applies: hasPrune,
    async run(ctx) {
      const mine = await ctx.open();
      const theirs = await ctx.open({ namespace: `${ctx.namespace}_other` });
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await mine.store.set(key, { data: { mine: true }, expiresAt });
      await theirs.store.set(key, { data: { mine: false }, expiresAt });
      ctx.clock.set(expiresAt + 1);
      assert.equal(await mine.store.prune?.(), 1, 'prune() counts its own expired record');
      await expectNothingStored(mine.raw, key, 'prune() of its own namespace');
      assert.notEqual(
        await theirs.raw.read(key),
        undefined,
        "prune() removed another namespace's expired record",
      );
      await theirs.store.prune?.();
    },
  },
  {
    name: 'native-expiry-on-set',
    rule: 'TTL-5',
    title: "set gives the entry a native expiry at the record's expiresAt, also when replacing it",
    applies: hasNativeExpiry,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const first = inAMinute(ctx);
      await store.set(key, { data: {}, expiresAt: first });
      await expectNativeExpiry(raw, key, first, 'after set');
      const second = first + 120_000;
      await store.set(key, { data: {}, expiresAt: second }, { ifVersion: 1 });
      await expectNativeExpiry(raw, key, second, 'after a compare-and-set replacing it');
    },
  },
  {
    name: 'native-expiry-on-touch',
    rule: 'TTL-5',
    title: 'touch moves the native expiry with expiresAt, later and earlier',
    applies: hasNativeExpiry,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const start = ctx.clock.now();
      await store.set(key, { data: {}, expiresAt: start + 60_000 });
      await store.touch(key, start + 300_000);
      await expectNativeExpiry(raw, key, start + 300_000, 'after touch to later');
      await store.touch(key, start + 30_000);
      await expectNativeExpiry(raw, key, start + 30_000, 'after touch to earlier');
    },
  },
  {
    name: 'prompt-native-removal',
    rule: 'TTL-5',
    title:
      'with prompt native expiry, a record 300 ms from expiry is physically gone within 3 s after',
    applies: (capabilities) => capabilities.nativeExpiry === 'prompt',
    timeoutMs: 10_000,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      // The real clock matters here: the backend expires by its own time.
      await store.set(key, { data: {}, expiresAt: ctx.clock.now() + 300 });
      await eventually(
        () => expectNothingStored(raw, key, 'the backend did not remove it'),
        3_300,
        50,
      );
    },
  },
]);
