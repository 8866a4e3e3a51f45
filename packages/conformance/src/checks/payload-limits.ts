/**
 * DATA-2: the payload limit (`store.maxPayloadBytes`, UTF-8 bytes of the encoded data) holds,
 * exactly: just under it round-trips, just over it is TOO_LARGE and stores nothing.
 */
import assert from 'node:assert/strict';
import { jsonCodec } from '@sessions/core';
import { defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNothingStored, expectNotInDump, inAMinute, marker } from './support.js';

/** `{"blob":""}`: what JSON adds around the blob. */
const ENVELOPE = 11;
const MARGIN = 200;

/** Data whose JSON encoding is exactly `bytes` long, starting with `mark`. */
function dataOfSize(bytes: number, mark: string): { blob: string } {
  return { blob: mark + 'x'.repeat(bytes - ENVELOPE - mark.length) };
}

/** The DATA-2 checks. */
export const payloadLimitChecks = defineChecks('payload-limits', [
  {
    name: 'declares-limit',
    rule: 'DATA-2',
    title: 'the store declares its limit as a positive integer maxPayloadBytes',
    async run(ctx) {
      const { store } = await ctx.open();
      assert.ok(
        Number.isSafeInteger(store.maxPayloadBytes) && store.maxPayloadBytes > 0,
        `maxPayloadBytes is ${store.maxPayloadBytes}`,
      );
    },
  },
  {
    name: 'just-under-limit',
    rule: 'DATA-2',
    title: 'data encoding to maxPayloadBytes - 200 bytes round-trips',
    timeoutMs: 60_000,
    async run(ctx) {
      const { store } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const data = dataOfSize(store.maxPayloadBytes - MARGIN, marker());
      await store.set(key, { data, expiresAt: inAMinute(ctx) });
      assert.deepStrictEqual((await store.get(key))?.data, data);
    },
  },
  {
    name: 'over-limit-stores-nothing',
    rule: 'DATA-2',
    title:
      'data encoding to maxPayloadBytes + 200 bytes is rejected with TOO_LARGE and stores nothing',
    timeoutMs: 60_000,
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const mark = marker();
      await expectCode('TOO_LARGE', 'set over the limit', () =>
        store.set(key, {
          data: dataOfSize(store.maxPayloadBytes + MARGIN, mark),
          expiresAt: inAMinute(ctx),
        }),
      );
      await expectNothingStored(raw, key, 'a set over the limit');
      await expectNotInDump(raw, mark, 'data of a set over the limit');
    },
  },
  {
    name: 'over-limit-keeps-existing',
    rule: 'DATA-2',
    title: 'a TOO_LARGE set over an existing record leaves it unchanged',
    timeoutMs: 60_000,
    async run(ctx) {
      const { store } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { small: true }, expiresAt });
      await expectCode('TOO_LARGE', 'set over the limit', () =>
        store.set(key, { data: dataOfSize(store.maxPayloadBytes + MARGIN, marker()), expiresAt }),
      );
      assert.deepStrictEqual(await store.get(key), {
        data: { small: true },
        expiresAt,
        version: 1,
      });
    },
  },
  {
    name: 'counts-utf8-bytes',
    rule: 'DATA-2',
    title:
      'the limit counts UTF-8 bytes, not characters: multi-byte data under it in characters is TOO_LARGE',
    timeoutMs: 60_000,
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const key = randomKey();
      // '€' is 3 bytes in UTF-8 and 1 UTF-16 unit: 0.4 x limit characters, 1.2 x limit bytes.
      const blob = '€'.repeat(Math.ceil(store.maxPayloadBytes * 0.4));
      await expectCode('TOO_LARGE', 'set of multi-byte data over the limit in bytes', () =>
        store.set(key, { data: { blob }, expiresAt: inAMinute(ctx) }),
      );
      await expectNothingStored(raw, key, 'a set over the limit in bytes');
    },
  },
  {
    name: 'exact-edge-multi-byte',
    rule: 'DATA-2',
    title:
      'multi-byte data encoding to exactly maxPayloadBytes is stored; one byte more is TOO_LARGE',
    timeoutMs: 60_000,
    async run(ctx) {
      const { store, raw } = await ctx.open({ codec: jsonCodec });
      const limit = store.maxPayloadBytes;
      const mark = marker();
      // '€' is 3 UTF-8 bytes: fill with it, then pad with ASCII to the exact byte count.
      const euros = '€'.repeat(Math.floor((limit - ENVELOPE - mark.length) / 3) - 1);
      const pad = (bytes: number) =>
        'x'.repeat(bytes - ENVELOPE - mark.length - Buffer.byteLength(euros));
      const exact = { blob: mark + euros + pad(limit) };
      assert.equal(Buffer.byteLength(JSON.stringify(exact)), limit);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: exact, expiresAt });
      assert.deepEqual((await store.get(key))?.data, exact, 'the data at the limit round-trips');
      const over = randomKey();
      await expectCode('TOO_LARGE', 'set one byte over the limit', () =>
        store.set(over, { data: { blob: mark + euros + pad(limit + 1) }, expiresAt }),
      );
      await expectNothingStored(raw, over, 'a set one byte over the limit');
    },
  },
]);
