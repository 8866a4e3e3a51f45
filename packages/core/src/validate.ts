/**
 * Input validation shared by every store. Library authors call stores directly, so each
 * store checks its own input, before any I/O, with the same rules.
 */
import { InvalidKeyError, InvalidRecordError } from './errors.js';
import type { SessionRecord } from './types.js';

/** Longest key any store accepts. A SHA-256 hex digest is 64, a session token 43. */
export const MAX_KEY_LENGTH = 256;
/** Longest userId any store accepts. */
export const MAX_USER_ID_LENGTH = 256;

// Base64url, hex and common ID alphabets, plus `.` and `:` for composed keys. No `/`, `*`,
// whitespace, quotes or braces: nothing a backend could read as a path, pattern or operator.
const KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;
// Names that mean something to JavaScript objects; refused so no backend or map can trip.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
/** C0 controls, DEL and C1 controls: never part of a sensible user identifier. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Throw `InvalidKeyError` unless `key` is a string of 1–256 characters from
 * `A–Z a–z 0–9 _ - . :` that is not a reserved name (`__proto__`, `constructor`, `prototype`).
 *
 * @example
 * ```ts
 * assertValidKey(key, '@sessions/redis'); // before touching the network
 * ```
 */
export function assertValidKey(key: unknown, source: string): asserts key is string {
  if (typeof key !== 'string') {
    throw new InvalidKeyError(source, `a key must be a string, got ${describe(key)}`);
  }
  if (key.length === 0) throw new InvalidKeyError(source, 'a key must not be empty');
  if (key.length > MAX_KEY_LENGTH) {
    throw new InvalidKeyError(source, `a key must be at most ${MAX_KEY_LENGTH} characters`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidKeyError(source, 'a key may only hold A-Z a-z 0-9 _ - . :');
  }
  if (RESERVED.has(key)) throw new InvalidKeyError(source, `"${key}" is a reserved name`);
}

/**
 * Throw `InvalidKeyError` unless `userId` is a string of 1–256 characters without control
 * characters. Any other Unicode is fine (emails, names, UUIDs).
 */
export function assertValidUserId(userId: unknown, source: string): asserts userId is string {
  if (typeof userId !== 'string') {
    throw new InvalidKeyError(source, `a userId must be a string, got ${describe(userId)}`);
  }
  if (userId.length === 0) throw new InvalidKeyError(source, 'a userId must not be empty');
  if (userId.length > MAX_USER_ID_LENGTH) {
    throw new InvalidKeyError(source, `a userId must be at most ${MAX_USER_ID_LENGTH} characters`);
  }
  if (hasControlCharacter(userId)) {
    throw new InvalidKeyError(source, 'a userId must not contain control characters');
  }
}

/**
 * Throw `InvalidKeyError` unless `namespace` is 1–64 characters of `A–Z a–z 0–9 _ - . :`.
 * Stores call it once, in their constructor.
 */
export function assertValidNamespace(
  namespace: unknown,
  source: string,
): asserts namespace is string {
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 64) {
    throw new InvalidKeyError(source, 'a namespace must be a string of 1 to 64 characters');
  }
  if (!KEY_PATTERN.test(namespace)) {
    throw new InvalidKeyError(source, 'a namespace may only hold A-Z a-z 0-9 _ - . :');
  }
}

/** Throw `InvalidRecordError` unless `expiresAt` is an integer number of epoch milliseconds. */
export function assertValidExpiresAt(
  expiresAt: unknown,
  source: string,
): asserts expiresAt is number {
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) {
    throw new InvalidRecordError(
      source,
      `expiresAt must be an integer of epoch milliseconds, got ${describe(expiresAt)}`,
    );
  }
}

/** Throw `InvalidRecordError` unless `ifVersion` is absent or a non-negative integer. */
export function assertValidIfVersion(ifVersion: unknown, source: string): void {
  if (ifVersion === undefined) return;
  if (typeof ifVersion !== 'number' || !Number.isSafeInteger(ifVersion) || ifVersion < 0) {
    throw new InvalidRecordError(
      source,
      `ifVersion must be a non-negative integer, got ${describe(ifVersion)}`,
    );
  }
}

/**
 * Validate everything `set` receives: the key, the record's shape, its `expiresAt`, its
 * optional `userId`, and `ifVersion`.
 */
export function assertValidSet<D>(
  key: unknown,
  record: unknown,
  ifVersion: unknown,
  source: string,
): asserts record is SessionRecord<D> {
  assertValidKey(key, source);
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InvalidRecordError(source, `a record must be an object, got ${describe(record)}`);
  }
  const r = record as Partial<SessionRecord<D>>;
  if (r.data === undefined) throw new InvalidRecordError(source, 'a record must have data');
  assertValidExpiresAt(r.expiresAt, source);
  if (r.userId !== undefined) assertValidUserId(r.userId, source);
  assertValidIfVersion(ifVersion, source);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return typeof value;
}
