/**
 * INPUT-3: a record, expiresAt or ifVersion of the wrong shape is rejected with INVALID_RECORD,
 * and neither a new record nor a change to an existing one is stored.
 */
import assert from 'node:assert/strict';
import type { SessionRecord, SetOptions } from '@sessions/core';
import { type CheckSpec, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNothingStored, inAMinute } from './support.js';

interface BadSet {
  name: string;
  title: string;
  /** The arguments of the rejected set, given a valid expiresAt. */
  args: (expiresAt: number) => [unknown, SetOptions?];
}

const BAD_SETS: BadSet[] = [
  {
    name: 'expires-nan',
    title: 'expiresAt NaN',
    args: () => [{ data: {}, expiresAt: Number.NaN }],
  },
  {
    name: 'expires-infinite',
    title: 'expiresAt Infinity',
    args: () => [{ data: {}, expiresAt: Number.POSITIVE_INFINITY }],
  },
  {
    name: 'expires-string',
    title: 'expiresAt as a string',
    args: (e) => [{ data: {}, expiresAt: String(e) }],
  },
  {
    name: 'expires-float',
    title: 'a fractional expiresAt',
    args: (e) => [{ data: {}, expiresAt: e + 0.5 }],
  },
  { name: 'expires-missing', title: 'no expiresAt', args: () => [{ data: {} }] },
  {
    name: 'expires-date',
    title: 'expiresAt as a Date',
    args: (e) => [{ data: {}, expiresAt: new Date(e) }],
  },
  {
    name: 'data-undefined',
    title: 'data undefined',
    args: (e) => [{ data: undefined, expiresAt: e }],
  },
  { name: 'record-null', title: 'a null record', args: () => [null] },
  { name: 'record-string', title: 'a string as the record', args: () => ['{"data":{}}'] },
  {
    name: 'if-version-negative',
    title: 'ifVersion -1',
    args: (e) => [{ data: {}, expiresAt: e }, { ifVersion: -1 }],
  },
  {
    name: 'if-version-fraction',
    title: 'ifVersion 1.5',
    args: (e) => [{ data: {}, expiresAt: e }, { ifVersion: 1.5 }],
  },
  {
    name: 'if-version-string',
    title: "ifVersion '1'",
    args: (e) => [{ data: {}, expiresAt: e }, { ifVersion: '1' as unknown as number }],
  },
];

function badSetCheck({ name, title, args }: BadSet): CheckSpec {
  return {
    name,
    rule: 'INPUT-3',
    title: `set with ${title} is rejected with INVALID_RECORD and changes nothing`,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const [fresh, existing] = [randomKey(), randomKey()];
      const expiresAt = inAMinute(ctx);
      await store.set(existing, { data: { kept: true }, expiresAt });
      const [record, options] = args(expiresAt + 1_000);
      const bad = record as SessionRecord<unknown>;
      await expectCode('INVALID_RECORD', 'set on a missing key', () =>
        store.set(fresh, bad, options),
      );
      await expectNothingStored(raw, fresh, 'a rejected set');
      await expectCode('INVALID_RECORD', 'set over a record', () =>
        store.set(existing, bad, options),
      );
      assert.deepEqual(await store.get(existing), { data: { kept: true }, expiresAt, version: 1 });
    },
  };
}

/** The INPUT-3 checks: malformed records, expiresAt and ifVersion. */
export const badRecordChecks = defineChecks('bad-records', [
  ...BAD_SETS.map(badSetCheck),
  {
    name: 'touch-bad-expires',
    rule: 'INPUT-3',
    title:
      'touch with expiresAt NaN, a string or a fraction is rejected with INVALID_RECORD and changes nothing',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: {}, expiresAt });
      for (const bad of [Number.NaN, String(expiresAt + 1), expiresAt + 0.5, undefined]) {
        await expectCode('INVALID_RECORD', `touch(key, ${String(bad)})`, () =>
          store.touch(key, bad as number),
        );
      }
      assert.equal((await store.get(key))?.expiresAt, expiresAt);
    },
  },
]);
