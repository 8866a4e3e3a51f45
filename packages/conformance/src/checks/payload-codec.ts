/**
 * DATA-1 with the rich codec, and DATA-3: data the codec cannot round-trip is refused with
 * SERIALIZE before anything is written. The codec is passed explicitly, so each check states
 * which one it means.
 */
import assert from 'node:assert/strict';
import { jsonCodec, richCodec } from '@sessions/core';
import { type CheckSpec, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNothingStored, inAMinute } from './support.js';

interface Unencodable {
  name: string;
  label: string;
  make: () => unknown;
}

const JSON_REFUSES: Unencodable[] = [
  {
    name: 'circular',
    label: 'a circular structure',
    make: () => {
      const data: Record<string, unknown> = { a: 1 };
      data.self = data;
      return data;
    },
  },
  { name: 'bigint', label: 'a BigInt', make: () => ({ n: 10n }) },
  { name: 'function', label: 'a function', make: () => ({ f: () => 1 }) },
  { name: 'symbol', label: 'a Symbol', make: () => ({ s: Symbol('s') }) },
  { name: 'nan', label: 'NaN', make: () => ({ n: Number.NaN }) },
  { name: 'map', label: 'a Map', make: () => ({ m: new Map([['a', 1]]) }) },
];

function refusalCheck({ name, label, make }: Unencodable): CheckSpec {
  return {
    name: `json-refuses-${name}`,
    rule: 'DATA-3',
    title: `the JSON codec refuses ${label} with SERIALIZE; nothing is stored or changed`,
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const [fresh, existing] = [randomKey(), randomKey()];
      const expiresAt = inAMinute(ctx);
      await store.set(existing, { data: { kept: true }, expiresAt });
      await expectCode('SERIALIZE', 'set on a missing key', () =>
        store.set(fresh, { data: make(), expiresAt }),
      );
      await expectNothingStored(raw, fresh, 'a set the codec refused');
      await expectCode('SERIALIZE', 'set over a record', () =>
        store.set(existing, { data: make(), expiresAt }),
      );
      assert.deepStrictEqual(await store.get(existing), {
        data: { kept: true },
        expiresAt,
        version: 1,
      });
    },
  };
}

/** The DATA-3 checks, and DATA-1 with the rich codec. */
export const payloadCodecChecks = defineChecks('payload-codec', [
  ...JSON_REFUSES.map(refusalCheck),
  {
    name: 'rich-codec-round-trip',
    rule: 'DATA-1',
    title: 'with the rich codec, Date, Map, Set and BigInt round-trip as themselves',
    async run(ctx) {
      const { store } = await ctx.open({ codec: richCodec });
      const key = randomKey();
      const data = {
        when: new Date('2024-02-29T12:34:56.789Z'),
        counts: new Map<string, unknown>([
          ['a', 1],
          ['b', new Date(0)],
        ]),
        tags: new Set(['x', 'y']),
        big: 2n ** 70n,
        nested: { list: [new Date(1), 1n] },
      };
      await store.set(key, { data, expiresAt: inAMinute(ctx) });
      const back = (await store.get(key))?.data as typeof data;
      assert.deepStrictEqual(back, data);
      assert.ok(
        back.when instanceof Date && back.counts instanceof Map && back.tags instanceof Set,
      );
      assert.equal(typeof back.big, 'bigint');
    },
  },
  {
    name: 'rich-codec-refuses-function',
    rule: 'DATA-3',
    title: 'the rich codec refuses a function with SERIALIZE and stores nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: richCodec });
      const key = randomKey();
      await expectCode('SERIALIZE', 'set with a function', () =>
        store.set(key, { data: { f: () => 1 }, expiresAt: inAMinute(ctx) }),
      );
      await expectNothingStored(raw, key, 'a set the codec refused');
    },
  },
]);
