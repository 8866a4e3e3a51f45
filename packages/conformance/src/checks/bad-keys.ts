/**
 * INPUT-1: every method validates its key before any I/O. A bad key is rejected with
 * INVALID_KEY, whatever its type, and nothing of the rejected call is stored.
 */
import assert from 'node:assert/strict';
import { type CheckSpec, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNotInDump, inAMinute, marker } from './support.js';

interface BadKey {
  name: string;
  label: string;
  key: unknown;
}

/** Keys no store may accept: wrong types, lengths, and characters a backend could interpret. */
const BAD_KEYS: BadKey[] = [
  { name: 'empty', label: 'the empty string', key: '' },
  { name: 'ten-kilobytes', label: 'a 10 KB string', key: 'k'.repeat(10_240) },
  { name: 'over-256', label: 'a 257-character string', key: 'k'.repeat(257) },
  { name: 'operator-object', label: 'a query operator object { $ne: "" }', key: { $ne: '' } },
  { name: 'array', label: 'an array', key: ['k'] },
  { name: 'null', label: 'null', key: null },
  { name: 'undefined', label: 'undefined', key: undefined },
  { name: 'number', label: 'a number', key: 42 },
  { name: 'nul-byte', label: 'a NUL byte', key: 'a\u0000b' },
  { name: 'newline', label: 'a newline', key: 'a\nb' },
  { name: 'tab', label: 'a tab', key: 'a\tb' },
  { name: 'space', label: 'a space', key: 'a b' },
  { name: 'path', label: 'a path "../x"', key: '../x' },
  { name: 'glob', label: 'a glob "*"', key: '*' },
  { name: 'non-ascii', label: 'non-ASCII letters', key: 'ключ' },
  { name: 'emoji', label: 'an emoji', key: 'key🔑' },
  { name: 'proto', label: '"__proto__"', key: '__proto__' },
  { name: 'constructor', label: '"constructor"', key: 'constructor' },
  { name: 'prototype', label: '"prototype"', key: 'prototype' },
  { name: 'plus', label: 'a plus sign', key: 'a+b' },
  { name: 'equals', label: 'an equals sign (base64 padding)', key: 'ab==' },
  { name: 'at', label: 'an at sign', key: 'a@b' },
  { name: 'percent', label: 'a percent escape', key: 'a%2Fb' },
  { name: 'double-quote', label: 'a double quote', key: 'a"b' },
  { name: 'single-quote', label: 'a single quote', key: "a'b" },
  { name: 'braces', label: 'braces (a Redis Cluster hash tag)', key: '{a}b' },
  { name: 'backslash', label: 'a backslash', key: 'a\\b' },
];

function badKeyCheck({ name, label, key }: BadKey): CheckSpec {
  const k = key as string;
  return {
    name: `key-${name}`,
    rule: 'INPUT-1',
    title: `a key that is ${label} is rejected with INVALID_KEY by get, set, touch, delete and as except`,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const mark = marker();
      const expiresAt = inAMinute(ctx);
      await expectCode('INVALID_KEY', 'get', () => store.get(k));
      await expectCode('INVALID_KEY', 'set', () =>
        store.set(k, { data: { mark }, expiresAt, userId: 'victim' }),
      );
      await expectCode('INVALID_KEY', 'set with ifVersion 0', () =>
        store.set(k, { data: { mark }, expiresAt }, { ifVersion: 0 }),
      );
      await expectCode('INVALID_KEY', 'touch', () => store.touch(k, expiresAt));
      await expectCode('INVALID_KEY', 'delete', () => store.delete(k));
      // `except: undefined` means "no exception", a valid call.
      if (key !== undefined) {
        const victim = randomKey();
        await store.set(victim, { data: {}, expiresAt, userId: 'victim' });
        await expectCode('INVALID_KEY', 'deleteByUser with this key as except', () =>
          store.deleteByUser('victim', { except: k }),
        );
        assert.notEqual(
          await store.get(victim),
          undefined,
          'a rejected deleteByUser deleted a session',
        );
      }
      await expectNotInDump(raw, mark, 'data of a set with a bad key');
    },
  };
}

/** The INPUT-1 checks: one per kind of bad key, and the accepted alphabet. */
export const badKeyChecks = defineChecks('bad-keys', [
  ...BAD_KEYS.map(badKeyCheck),
  {
    name: 'valid-alphabet',
    rule: 'INPUT-1',
    title: 'keys of 1 to 256 characters from A-Z a-z 0-9 _ - . : are all accepted',
    async run(ctx) {
      const { store } = await ctx.open();
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:';
      const keys = [
        'k',
        alphabet,
        alphabet.repeat(4).slice(0, 256),
        '0123456789abcdef'.repeat(4),
        `${randomKey()}.${randomKey()}:x-y_z`,
      ];
      for (const key of keys) {
        await store.set(key, { data: { key }, expiresAt: inAMinute(ctx) });
        assert.deepEqual((await store.get(key))?.data, { key }, `key ${key}`);
      }
    },
  },
]);
