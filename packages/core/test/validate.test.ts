// Input validation every store shares: the exact key, userId, namespace and record rules.
import { describe, expect, test } from 'vitest';
import { isSessionError } from '../src/errors.js';
import {
  assertValidExpiresAt,
  assertValidIfVersion,
  assertValidKey,
  assertValidNamespace,
  assertValidSet,
  assertValidUserId,
  MAX_KEY_LENGTH,
  MAX_USER_ID_LENGTH,
} from '../src/validate.js';

const SOURCE = '@sessions/test';

function codeOf(action: () => void): string | undefined {
  try {
    action();
    return undefined;
  } catch (err) {
    expect(isSessionError(err)).toBe(true);
    expect((err as { source: string }).source).toBe(SOURCE);
    return (err as { code: string }).code;
  }
}

describe('assertValidKey', () => {
  test.each([
    'k',
    'A-Za-z0-9_.:',
    'x'.repeat(MAX_KEY_LENGTH),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'Zm9vYmFyYmF6cXV1eC1fZm9vYmFyYmF6cXV1eA',
    'app:sess.v2-x_y',
    'prototypes',
  ])('accepts %s', (key) => {
    expect(codeOf(() => assertValidKey(key, SOURCE))).toBeUndefined();
  });

  test.each([
    ['empty', ''],
    ['too long', 'x'.repeat(MAX_KEY_LENGTH + 1)],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { $ne: '' }],
    ['an array', ['k']],
    ['a NUL byte', 'a\u0000'],
    ['a newline', 'a\n'],
    ['a tab', 'a\tb'],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a glob', 'a*'],
    ['braces', '{a}'],
    ['quotes', 'a"b'],
    ['non-ASCII', 'clé'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['prototype', 'prototype'],
  ])('rejects %s with INVALID_KEY', (_label, key) => {
    expect(codeOf(() => assertValidKey(key, SOURCE))).toBe('INVALID_KEY');
  });
});

describe('assertValidUserId', () => {
  test.each([
    'u',
    'alice@example.com',
    'Zoë Ångström',
    '名前 🙂',
    'x'.repeat(MAX_USER_ID_LENGTH),
    '__proto__',
  ])('accepts %s', (userId) => {
    expect(codeOf(() => assertValidUserId(userId, SOURCE))).toBeUndefined();
  });

  test.each([
    ['empty', ''],
    ['too long', 'x'.repeat(MAX_USER_ID_LENGTH + 1)],
    ['a number', 7],
    ['null', null],
    ['an object', {}],
    ['a newline', 'a\nb'],
    ['a NUL byte', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
  ])('rejects %s with INVALID_KEY', (_label, userId) => {
    expect(codeOf(() => assertValidUserId(userId, SOURCE))).toBe('INVALID_KEY');
  });
});

describe('assertValidNamespace', () => {
  test.each(['sessions', 'app:prod', 'a.b-c_d', 'n'.repeat(64)])('accepts %s', (namespace) => {
    expect(codeOf(() => assertValidNamespace(namespace, SOURCE))).toBeUndefined();
  });

  test.each([
    ['empty', ''],
    ['65 characters', 'n'.repeat(65)],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['a number', 1],
  ])('rejects %s with INVALID_KEY', (_label, namespace) => {
    expect(codeOf(() => assertValidNamespace(namespace, SOURCE))).toBe('INVALID_KEY');
  });
});

describe('assertValidExpiresAt and assertValidIfVersion', () => {
  test('expiresAt must be a safe integer', () => {
    for (const ok of [0, 1, Date.now(), -5])
      expect(codeOf(() => assertValidExpiresAt(ok, SOURCE))).toBeUndefined();
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1.5,
      '1',
      undefined,
      null,
      new Date(),
      2 ** 60,
    ]) {
      expect(codeOf(() => assertValidExpiresAt(bad, SOURCE))).toBe('INVALID_RECORD');
    }
  });

  test('ifVersion must be absent or a non-negative integer', () => {
    for (const ok of [undefined, 0, 1, 99])
      expect(codeOf(() => assertValidIfVersion(ok, SOURCE))).toBeUndefined();
    for (const bad of [-1, 1.5, '1', null, Number.NaN]) {
      expect(codeOf(() => assertValidIfVersion(bad, SOURCE))).toBe('INVALID_RECORD');
    }
  });
});

describe('assertValidSet', () => {
  const expiresAt = Date.now() + 1_000;

  test('accepts a record with and without userId, with falsy data', () => {
    for (const record of [
      { data: {}, expiresAt },
      { data: 0, expiresAt, userId: 'u' },
      { data: null, expiresAt },
    ]) {
      expect(codeOf(() => assertValidSet('k', record, undefined, SOURCE))).toBeUndefined();
    }
  });

  test.each([
    ['a null record', 'k', null, undefined, 'INVALID_RECORD'],
    ['an array record', 'k', [], undefined, 'INVALID_RECORD'],
    ['a string record', 'k', '{}', undefined, 'INVALID_RECORD'],
    ['no data', 'k', { expiresAt }, undefined, 'INVALID_RECORD'],
    ['no expiresAt', 'k', { data: {} }, undefined, 'INVALID_RECORD'],
    ['a bad userId', 'k', { data: {}, expiresAt, userId: '' }, undefined, 'INVALID_KEY'],
    ['a null userId', 'k', { data: {}, expiresAt, userId: null }, undefined, 'INVALID_KEY'],
    ['a bad ifVersion', 'k', { data: {}, expiresAt }, -1, 'INVALID_RECORD'],
    ['a bad key (checked first)', '', null, -1, 'INVALID_KEY'],
  ])('rejects %s', (_label, key, record, ifVersion, code) => {
    expect(codeOf(() => assertValidSet(key, record, ifVersion, SOURCE))).toBe(code);
  });
});
