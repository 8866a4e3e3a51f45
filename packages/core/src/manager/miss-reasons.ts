/**
 * Why a request has no session. Most reasons cost nothing to tell: no cookie, a malformed one,
 * a record the manager's own limits cut off, a store that failed. Two need state, because the
 * record is gone by the time the token comes back: `rotated` and `revoked`. For those the
 * manager leaves a tombstone where the session was, through the ordinary store contract:
 *
 * - key `gone:<handle>` (no session key holds a `:`, see revocation-mark.ts), no `userId` (so
 *   it is never listed, counted or deleted as a session), data `{ reason, at }`;
 * - written by `regenerate` (`rotated`, for `rotationGrace`, default 60 s), by `revoke` and by
 *   "log out everywhere" (`revoked`, until the ended session would have expired anyway);
 * - read only on the miss path, and only when someone asks why: `loadWithReason` (which the
 *   Hono middleware uses) or a `miss` listener. A hit never reads it: a hit stays one `get`.
 *
 * Tombstones are diagnostics. A failed read of one is reported as a `store-error` event and
 * the miss is `not-found`; the request was a miss either way. `missReasons: false` turns them
 * off (no writes, no reads): misses are then `not-found` unless the cookie or record tells more.
 */
import { callStore, type ManagerContext } from './context.js';

/**
 * Why a request has no session.
 * - `no-cookie`: no session cookie came with the request.
 * - `malformed`: a cookie came, but not a token this library mints.
 * - `not-found`: a well-formed token the store does not know (never issued, logged out,
 *   expired and removed, or a reason whose tombstone has expired).
 * - `expired-idle` / `expired-absolute`: the store still served the record, but the manager's
 *   limits end it (a shortened timeout, a clock ahead of the store's). Once the store hides an
 *   expired record, which it does from its `expiresAt` on, the miss is `not-found`.
 * - `revoked`: ended by "log out everywhere" or by a revoke of its handle.
 * - `rotated`: an old token after `regenerate` (a login, a privilege change), within the grace
 *   window.
 * - `store-unavailable`: the store could not be read; the request fails (the Hono middleware
 *   answers 503), it never becomes anonymous.
 */
export type MissReason =
  | 'no-cookie'
  | 'malformed'
  | 'not-found'
  | 'expired-idle'
  | 'expired-absolute'
  | 'revoked'
  | 'rotated'
  | 'store-unavailable';

/** The reasons a tombstone records. */
export type TombstoneReason = 'rotated' | 'revoked';

interface Tombstone {
  reason: TombstoneReason;
  /** When the session ended (epoch ms). */
  at: number;
}

/** The reserved store key of the tombstone of the session `handle` names. */
export function tombstoneKey(handle: string): string {
  return `gone:${handle}`;
}

/**
 * Leave a tombstone for the session `handle` names, live until `expiresAt` (a past `expiresAt`
 * stores nothing). A no-op with `missReasons: false`.
 */
export async function writeTombstone(
  ctx: ManagerContext,
  handle: string,
  reason: TombstoneReason,
  expiresAt: number,
): Promise<void> {
  if (!ctx.opts.missReasons) return;
  const at = ctx.opts.clock();
  if (expiresAt <= at) return;
  const data: Tombstone = { reason, at };
  await callStore(ctx, undefined, 'set', () =>
    ctx.store.set(tombstoneKey(handle), { data, expiresAt }),
  );
}

/** Why the well-formed token whose session `handle` names found nothing: one `get`. */
export async function explainNotFound(
  ctx: ManagerContext,
  handle: string,
): Promise<'not-found' | TombstoneReason> {
  if (!ctx.opts.missReasons) return 'not-found';
  let data: unknown;
  try {
    data = (await callStore(ctx, undefined, 'get', () => ctx.store.get(tombstoneKey(handle))))
      ?.data;
  } catch {
    // Already reported as a `store-error` event; the session read itself succeeded and found
    // nothing, so the request is an ordinary miss whatever this diagnostic read says.
    return 'not-found';
  }
  return isTombstone(data) ? data.reason : 'not-found';
}

/**
 * Which limit ended a session the store still served: the deadline that came first. (When a
 * session is past both, the earlier one is why it ended.)
 */
export function expiryReason(
  timeouts: { idleTimeout: number; absoluteTimeout: number },
  createdAt: number,
  lastSeenAt: number,
): 'expired-idle' | 'expired-absolute' {
  return createdAt + timeouts.absoluteTimeout <= lastSeenAt + timeouts.idleTimeout
    ? 'expired-absolute'
    : 'expired-idle';
}

function isTombstone(value: unknown): value is Tombstone {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Tombstone>;
  return (v.reason === 'rotated' || v.reason === 'revoked') && Number.isSafeInteger(v.at);
}
