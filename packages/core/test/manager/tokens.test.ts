import { describe, expect, it } from 'vitest';
import { generateSessionToken, hashSessionToken, isSessionToken } from '../../src/index.js';

const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

describe('session tokens', () => {
  it('a million generated tokens are all distinct and 43 characters of base64url', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) {
      const token = generateSessionToken();
      if (!BASE64URL_43.test(token) || !isSessionToken(token)) {
        throw new Error(`token #${i} has the wrong shape`);
      }
      seen.add(token);
    }
    expect(seen.size).toBe(1_000_000);
  });

  it('carries 256 bits: every token decodes to 32 bytes', () => {
    for (let i = 0; i < 1000; i++) {
      expect(Buffer.from(generateSessionToken(), 'base64url')).toHaveLength(32);
    }
  });

  it('the store key is the SHA-256 hex digest: 64 characters, deterministic, not the token', () => {
    const token = generateSessionToken();
    const key = hashSessionToken(token);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken(token)).toBe(key);
    expect(key).not.toContain(token);
    expect(hashSessionToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it.each([
    ['empty', ''],
    ['too short', 'a'.repeat(42)],
    ['too long', 'A'.repeat(44)],
    ['padded', `${'A'.repeat(42)}=`],
    ['standard base64 characters', `${'+'.repeat(42)}A`],
    ['percent-encoded', `%41${'A'.repeat(40)}`],
    ['a non-canonical last character', `${'A'.repeat(42)}B`],
    ['whitespace', ` ${'A'.repeat(42)}`],
    ['not a string', 42],
    ['an object', { toString: () => 'A'.repeat(43) }],
  ])('refuses %s', (_why, value) => {
    expect(isSessionToken(value)).toBe(false);
  });
});
