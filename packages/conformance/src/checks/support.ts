/**
 * Assertions and fixtures shared by the checks. Kept here so each check reads as the rule it
 * enforces.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  isSessionError,
  type SessionError,
  type SessionErrorCode,
  type SessionStore,
  type StoredSession,
} from '@sessions/core';
import type { CheckContext } from '../check.js';
import { eventually, randomToken } from '../util.js';

/** A minute from the check's now: long enough for any check, short enough for native TTLs to clean up. */
export function inAMinute(ctx: CheckContext): number {
  return ctx.clock.now() + 60_000;
}

/** A distinctive string to write into data, then search for in `raw.dump()`. */
export function marker(): string {
  return `mk${randomToken(16)}`;
}

/** Render a value for an assertion message, briefly. */
export function show(value: unknown): string {
  return inspect(value, { depth: 3, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 60 });
}

/**
 * Assert that `action` returns a promise that rejects with a `SessionError` of `code`.
 * A method that throws synchronously fails too: callers use `.catch()` on store methods.
 */
export async function expectCode(
  code: SessionErrorCode,
  what: string,
  action: () => Promise<unknown>,
): Promise<SessionError> {
  let promise: Promise<unknown>;
  try {
    promise = action();
  } catch (err) {
    assert.fail(
      `${what} threw synchronously (${show(err)}); store methods must return a rejected promise`,
    );
  }
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    if (isSessionError(err, code)) return err;
    assert.fail(`${what} rejected with ${show(err)}; expected a SessionError with code ${code}`);
  }
  assert.fail(`${what} resolved to ${show(value)}; expected it to reject with code ${code}`);
}

/** The user-index lag the backend declared (0 = consistent at once). */
export function indexLag(ctx: CheckContext): number {
  return ctx.capabilities.userIndexLagMs ?? 0;
}

/**
 * Assert that `listByUser(userId)` returns exactly `keys` (in any order), polling up to the
 * backend's declared index lag. Resolves to the listing.
 */
export function expectListed(
  ctx: CheckContext,
  store: SessionStore<unknown>,
  userId: string,
  keys: string[],
): Promise<Array<StoredSession<unknown>>> {
  return eventually(async () => {
    const list = await store.listByUser(userId);
    assert.deepEqual(
      list.map((s) => s.key).sort(),
      [...keys].sort(),
      `listByUser(${show(userId)}) should list exactly these keys`,
    );
    return list;
  }, indexLag(ctx));
}

/** Assert that nothing is stored under `key`, whatever its expiry (`raw.read`). */
export async function expectNothingStored(
  raw: { read(key: string): Promise<unknown> },
  key: string,
  why: string,
): Promise<void> {
  const entry = await raw.read(key);
  assert.equal(entry, undefined, `${why}: the backend still holds ${show(entry)}`);
}

/** Assert that `raw.dump()` does not contain `text`. */
export async function expectNotInDump(
  raw: { dump(): Promise<string> },
  text: string,
  why: string,
): Promise<void> {
  const dump = await raw.dump();
  assert.ok(!dump.includes(text), `${why}: found it in the backend`);
}
