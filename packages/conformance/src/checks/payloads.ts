/**
 * DATA-1 and DATA-4: data round-trips exactly through the default codec, and the store never
 * shares an object with its caller.
 */
import assert from 'node:assert/strict';
import { jsonCodec } from '@sessions/core';
import { type CheckContext, type CheckSpec, defineChecks, hasList } from '../check.js';
import { randomKey } from '../util.js';
import { expectListed, inAMinute } from './support.js';

/** Set `data`, then expect get and listByUser to return an equal value. */
async function expectRoundTrip(ctx: CheckContext, data: unknown): Promise<void> {
  const { store } = await ctx.open({ codec: jsonCodec });
  const [key, userId] = [randomKey(), randomKey()];
  await store.set(key, { data, expiresAt: inAMinute(ctx), userId });
  assert.deepStrictEqual((await store.get(key))?.data, data, 'get');
  const [listed] = await expectListed(ctx, store, userId, [key]);
  assert.deepStrictEqual(listed?.record.data, data, 'listByUser');
}

function roundTrip(name: string, what: string, data: unknown): CheckSpec {
  return {
    name,
    rule: 'DATA-1',
    title: `${what} round-trip exactly`,
    run: (ctx) => expectRoundTrip(ctx, data),
  };
}

/** The DATA-1 and DATA-4 checks. */
export const payloadChecks = defineChecks('payloads', [
  roundTrip('nested', 'deeply nested objects', {
    a: { b: { c: { d: { e: { f: { g: { h: 'deep' } } } } } } },
    sibling: { x: 1, y: { z: [] } },
  }),
  roundTrip('unicode', 'emoji, right-to-left, astral and combining characters', {
    emoji: '👩‍👩‍👧‍👦🏳️‍🌈',
    rtl: 'مرحبا بالعالم שלום',
    astral: '𝕳𝖊𝖑𝖑𝖔 𠜎𠜱',
    combining: 'e\u0301 n\u0303',
    'ключ 🔑': 'keys too',
  }),
  roundTrip('empty-object', 'an empty object', {}),
  roundTrip('arrays', 'arrays of mixed values, nested and empty', {
    list: [1, 'two', { three: 3 }, [4, [5]], null, true, []],
    empty: [],
  }),
  roundTrip('scalars-inside', 'numbers, booleans and null inside objects', {
    zero: 0,
    negative: -17,
    float: Math.PI,
    tiny: 5e-324,
    maxSafe: Number.MAX_SAFE_INTEGER,
    yes: true,
    no: false,
    nothing: null,
  }),
  roundTrip('awkward-strings', 'strings with quotes, backslashes, NUL, newlines and JSON in them', {
    quotes: `"'\``,
    backslash: 'C:\\path\\n',
    nul: 'a\u0000b',
    lines: 'one\r\ntwo\nthree',
    json: '{"data":{"injected":true},"version":99}',
    empty: '',
  }),
  roundTrip('operator-like-keys', 'keys that look like query operators, paths or are empty', {
    $set: { version: 99 },
    $where: 'true',
    'a.b': 1,
    '': 'empty key',
    ' ': 'space key',
  }),
  {
    name: 'top-level-scalars',
    rule: 'DATA-1',
    title: 'falsy top-level data (0, false, "", null) round-trips and is not taken as missing',
    async run(ctx) {
      for (const data of [0, false, '', null]) await expectRoundTrip(ctx, data);
    },
  },
  {
    name: 'get-returns-copy',
    rule: 'DATA-4',
    title: 'mutating the data get returned does not change what the store holds',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      await store.set(key, { data: { list: [1], nested: { n: 1 } }, expiresAt: inAMinute(ctx) });
      const first = (await store.get(key))?.data as {
        list: number[];
        nested: { n: number };
        added?: boolean;
      };
      first.list.push(2);
      first.nested.n = 2;
      first.added = true;
      assert.deepStrictEqual((await store.get(key))?.data, { list: [1], nested: { n: 1 } });
    },
  },
  {
    name: 'set-copies-input',
    rule: 'DATA-4',
    title: 'mutating the data after set does not change what the store holds',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const data = { list: [1], nested: { n: 1 } };
      await store.set(key, { data, expiresAt: inAMinute(ctx) });
      data.list.push(2);
      data.nested.n = 2;
      assert.deepStrictEqual((await store.get(key))?.data, { list: [1], nested: { n: 1 } });
    },
  },
  {
    name: 'list-returns-copy',
    rule: 'DATA-4',
    title: 'mutating a record listByUser returned does not change what the store holds',
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { n: 1 }, expiresAt, userId: 'u1' });
      const [listed] = await expectListed(ctx, store, 'u1', [key]);
      assert.ok(listed);
      (listed.record.data as { n: number }).n = 2;
      listed.record.expiresAt = 0;
      assert.deepStrictEqual(await store.get(key), {
        data: { n: 1 },
        expiresAt,
        userId: 'u1',
        version: 1,
      });
    },
  },
  {
    name: 'namespace-list-returns-copy',
    rule: 'DATA-4',
    title: 'mutating a record list() returned does not change what the store holds',
    applies: hasList,
    async run(ctx) {
      const { store } = await ctx.open();
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { n: 1, nested: { m: 1 } }, expiresAt });
      assert.ok(store.list, 'the store declares list() but has none');
      const listed = (await store.list()).find((s) => s.key === key);
      assert.ok(listed, 'list() should return the session');
      const data = listed.record.data as { n: number; nested: { m: number } };
      data.n = 2;
      data.nested.m = 2;
      listed.record.expiresAt = 0;
      assert.deepStrictEqual(await store.get(key), {
        data: { n: 1, nested: { m: 1 } },
        expiresAt,
        version: 1,
      });
    },
  },
  {
    name: 'set-leaves-input-alone',
    rule: 'DATA-4',
    title: "set does not modify the caller's record object (no version written into it)",
    async run(ctx) {
      const { store } = await ctx.open();
      const record = { data: { n: 1 }, expiresAt: inAMinute(ctx), userId: 'u1' };
      const before = structuredClone(record);
      await store.set(randomKey(), record);
      assert.deepStrictEqual(record, before);
    },
  },
]);
