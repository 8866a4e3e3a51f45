/**
 * Session tokens: what the cookie carries. 256 bits from the CSPRNG, base64url, and a SHA-256
 * digest of it as the store key, so a copy of the database holds nothing a client could present.
 */
import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';

/** Bytes of CSPRNG output in a token: 256 bits, twice the 128 bits ASVS 7.2.3 asks for. */
const TOKEN_BYTES = 32;

// 32 bytes are 43 base64url characters without padding. 43 × 6 = 258 bits, so the last
// character carries only 4 data bits and its 2 low bits are zero: only 16 characters can end a
// canonical token. Refusing the others means each byte string has exactly one accepted spelling.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * Mint a fresh session token: 32 bytes from `crypto.randomBytes`, base64url without padding
 * (always 43 characters of `A–Z a–z 0–9 - _`).
 *
 * @example
 * ```ts
 * const token = generateSessionToken(); // e.g. 'q3Xr…' (43 characters)
 * ```
 */
export function generateSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * True when `value` has the exact shape of a token {@link generateSessionToken} mints. Anything
 * else a client sends is not a token and never reaches a store.
 */
export function isSessionToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * The store key of a token: its SHA-256 digest as 64 lowercase hex characters. One-way, so
 * a leaked store (or an error message quoting a key) gives an attacker nothing to present;
 * unsalted on purpose, because the token already has 256 bits of entropy and lookups must be
 * deterministic.
 *
 * @example
 * ```ts
 * await store.get(hashSessionToken(token)); // the record the manager stored for this token
 * ```
 */
export function hashSessionToken(token: string): string {
  return sha256Hex(token);
}

// The one-shot `crypto.hash` (Node ≥ 20.12 / 21.7) skips the Hash object `createHash` builds:
// about half the cost per call, and the adapters hash once per request.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => createHash('sha256').update(text, 'utf8').digest('hex');
