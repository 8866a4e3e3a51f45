/**
 * What a store call came to, as a low-cardinality value: `ok`, `miss`, or the error class. An
 * error is named by its stable `SessionError` code only, never by its message: with token
 * hashing off, a store's message can quote a key, and a key is then a session token.
 */
import { isSessionError, type SessionErrorCode } from '@sessions/core';
import { OTHER_ERROR } from './names.js';

// A Record, so that a code added to core fails the type check here until it is listed.
const KNOWN_CODES: Readonly<Record<SessionErrorCode, true>> = {
  INVALID_KEY: true,
  INVALID_RECORD: true,
  CONFLICT: true,
  TOO_LARGE: true,
  SERIALIZE: true,
  CORRUPT: true,
  UNAVAILABLE: true,
  CLOSED: true,
  NOT_IMPLEMENTED: true,
};

/**
 * The `error.type` of a thrown value: its `SessionError` code, or `_OTHER`. Only the codes core
 * defines pass: a third-party store's own code could be anything, and an attribute value with
 * no bound would make a new time series per value.
 */
export function errorType(error: unknown): string {
  return isSessionError(error) && Object.hasOwn(KNOWN_CODES, error.code) ? error.code : OTHER_ERROR;
}

/** `get` found nothing. */
export function missedIfUndefined(result: unknown): boolean {
  return result === undefined;
}

/** `touch` or `delete` found no live record. */
export function missedIfFalse(result: unknown): boolean {
  return result === false;
}

/** Operations whose result is never a miss (a write, a bulk call). */
export function neverMissed(): boolean {
  return false;
}
