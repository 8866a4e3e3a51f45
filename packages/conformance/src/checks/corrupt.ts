/**
 * CORRUPT-1 and CORRUPT-2: bytes that do not decode are reported as CORRUPT (never a crash,
 * never "no session"), and decoding never pollutes a prototype. The suite writes the payloads
 * itself through `raw.writePayload`, bypassing the codec.
 */
import assert from 'node:assert/strict';
import { jsonCodec, richCodec } from '@sessions/core';
import { type CheckSpec, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectListed, expectNothingStored, inAMinute } from './support.js';

const UNDECODABLE: Array<{ name: string; label: string; payload: string }> = [
  { name: 'truncated-json', label: 'truncated JSON', payload: '{"cart":[1,2' },
  { name: 'empty-payload', label: 'an empty payload', payload: '' },
  { name: 'binary-garbage', label: 'binary garbage', payload: '\u0000\u0001\ufffd\u00ff{' },
];

function undecodableCheck({ name, label, payload }: (typeof UNDECODABLE)[number]): CheckSpec {
  return {
    name,
    rule: 'CORRUPT-1',
    title: `get of a record holding ${label} rejects with CORRUPT`,
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      await raw.writePayload(key, payload, inAMinute(ctx));
      await expectCode('CORRUPT', 'get of a corrupt record', () => store.get(key));
    },
  };
}

/** Assert that nothing reachable from plain objects was polluted. */
function expectUnpolluted(data: unknown): void {
  assert.equal(
    ({} as Record<string, unknown>).polluted,
    undefined,
    'Object.prototype was polluted',
  );
  assert.equal(
    Object.getPrototypeOf(data),
    Object.prototype,
    'the decoded object has another prototype',
  );
  assert.equal(
    (data as Record<string, unknown>).polluted,
    undefined,
    'the decoded object inherits "polluted"',
  );
}

/** The CORRUPT-1 and CORRUPT-2 checks. */
export const corruptChecks = defineChecks('corrupt', [
  {
    name: 'raw-payload-readable',
    rule: 'CORRUPT-1',
    title:
      'a valid payload written raw reads back (so the corrupt checks test the store, not raw access)',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await raw.writePayload(key, '{"cart":[1,2]}', expiresAt);
      assert.deepStrictEqual(await store.get(key), {
        data: { cart: [1, 2] },
        expiresAt,
        version: 1,
      });
    },
  },
  ...UNDECODABLE.map(undecodableCheck),
  {
    name: 'others-unaffected',
    rule: 'CORRUPT-1',
    title: 'a corrupt record breaks neither other keys nor listByUser of any user',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const [bad, good] = [randomKey(), randomKey()];
      await store.set(good, { data: { ok: true }, expiresAt: inAMinute(ctx), userId: 'alice' });
      await raw.writePayload(bad, 'not json at all', inAMinute(ctx));
      assert.deepStrictEqual((await store.get(good))?.data, { ok: true });
      await expectListed(ctx, store, 'alice', [good]);
      assert.deepStrictEqual(await store.listByUser('bob'), []);
    },
  },
  {
    name: 'deletable',
    rule: 'CORRUPT-1',
    title: 'a corrupt record can still be deleted (so a manager can recover by destroying it)',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      await raw.writePayload(key, '{{{', inAMinute(ctx));
      assert.equal(await store.delete(key), true);
      await expectNothingStored(raw, key, 'delete of a corrupt record');
    },
  },
  {
    name: 'overwritable',
    rule: 'CORRUPT-1',
    title: 'a corrupt record can be overwritten by set',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      await raw.writePayload(key, '{{{', inAMinute(ctx));
      await store.set(key, { data: { fresh: true }, expiresAt: inAMinute(ctx) });
      assert.deepStrictEqual((await store.get(key))?.data, { fresh: true });
    },
  },
  {
    name: 'proto-key-dropped',
    rule: 'CORRUPT-2',
    title:
      'a stored {"__proto__":{"polluted":true},"a":1} decodes to { a: 1 } and pollutes nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      await raw.writePayload(key, '{"__proto__":{"polluted":true},"a":1}', inAMinute(ctx));
      const data = (await store.get(key))?.data;
      expectUnpolluted(data);
      assert.deepStrictEqual(data, { a: 1 });
    },
  },
  {
    name: 'nested-proto-key-dropped',
    rule: 'CORRUPT-2',
    title: 'nested __proto__ keys (in objects and arrays) are dropped and pollute nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const payload =
        '{"a":{"__proto__":{"polluted":true},"b":1},"list":[{"__proto__":{"polluted":true}}]}';
      await raw.writePayload(key, payload, inAMinute(ctx));
      const data = (await store.get(key))?.data as { a: object; list: object[] };
      expectUnpolluted(data);
      expectUnpolluted(data.a);
      expectUnpolluted(data.list[0]);
      assert.deepStrictEqual(data, { a: { b: 1 }, list: [{}] });
    },
  },
  {
    name: 'escaped-proto-key-dropped',
    rule: 'CORRUPT-2',
    title:
      'a __proto__ key spelled with JSON escapes ("\\u005f_proto__") is dropped too, and pollutes nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const payload =
        '{"\\u005f_proto__":{"polluted":true},"prefs":{"__pr\\u006fto__":{"isAdmin":true}}}';
      await raw.writePayload(key, payload, inAMinute(ctx));
      const data = (await store.get(key))?.data as { prefs: object };
      expectUnpolluted(data);
      expectUnpolluted(data.prefs);
      // How the attack works: copying the decoded data would inherit the attacker's fields.
      assert.equal((Object.assign({}, data.prefs) as { isAdmin?: unknown }).isAdmin, undefined);
      assert.deepStrictEqual(data, { prefs: {} });
    },
  },
  {
    name: 'rich-codec-proto-key-dropped',
    rule: 'CORRUPT-2',
    title:
      'with the rich codec, __proto__ keys inside a nested Map are dropped and pollute nothing',
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: richCodec });
      const key = randomKey();
      // superjson's format: the JSON, plus metadata saying that "m" is a Map.
      const payload =
        '{"json":{"m":[["k",{"__proto__":{"polluted":true},"v":1}]]},"meta":{"values":{"m":["map"]},"v":1}}';
      await raw.writePayload(key, payload, inAMinute(ctx));
      const data = (await store.get(key))?.data as { m: Map<string, object> };
      assert.ok(data?.m instanceof Map, 'the rich codec should decode "m" as a Map');
      expectUnpolluted(data.m.get('k'));
      assert.deepStrictEqual(data, { m: new Map([['k', { v: 1 }]]) });
    },
  },
]);
