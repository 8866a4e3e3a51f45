/**
 * A stored record as the framework gets it back: checked, so nothing in it can throw there, and
 * without the adapter kit's own bookkeeping field.
 */
import { CorruptError } from '../errors.js';
import type { SessionData, SessionRecord } from '../types.js';
import { cookieFault, withExpiry } from './cookie.js';

/**
 * The data field an owned session's record keeps its lineage's start in (epoch ms), for "log
 * out everywhere" (session-ends.ts). Taken out on every read: a framework never sees it.
 */
export const BORN_AT_FIELD = '@sessions.bornAt';

/**
 * The stored data as the framework gets it back, checked so nothing in it can throw there,
 * and when its lineage began (`undefined` when the record does not say).
 * The decoded data is the caller's (a store's `get` never shares its objects), so it is
 * fixed up in place rather than copied.
 */
export function restoreSession(
  record: SessionRecord<SessionData>,
  source: string,
): { session: SessionData; bornAt: number | undefined } {
  const { data } = record;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CorruptError(source, 'the stored session is not an object');
  }
  // A plain object, as every codec decodes one; anything else is copied into one.
  const session = Object.getPrototypeOf(data) === Object.prototype ? data : plainCopy(data);
  // An own `__proto__` field (a codec that keeps one) is never handed to the framework.
  if (Object.hasOwn(session, '__proto__')) Reflect.deleteProperty(session, '__proto__');
  const born = session[BORN_AT_FIELD];
  let bornAt: number | undefined;
  if (born !== undefined) {
    delete session[BORN_AT_FIELD];
    // Tampered: as old as can be, so a mark covers it.
    bornAt = Number.isSafeInteger(born) ? (born as number) : 0;
  }
  if (session.cookie !== undefined) {
    const fault = cookieFault(session.cookie);
    if (fault) throw new CorruptError(source, `the stored session's ${fault}`);
    session.cookie = withExpiry(session.cookie as SessionData, record.expiresAt);
  }
  return { session, bornAt };
}

/** A plain-object copy of `data`'s own string fields. */
function plainCopy(data: object): SessionData {
  const copy: SessionData = {};
  for (const field of Object.keys(data)) {
    if (field !== '__proto__') copy[field] = (data as SessionData)[field];
  }
  return copy;
}
