/**
 * The per-user revocation mark: "sessions of this user that began at or before `validAfter`
 * are over, except the one named `spared`". It is what makes "log out everywhere" atomic
 * against a concurrent `regenerate` (or a login regenerating the user's own session) on every
 * store, with nothing but the store contract:
 *
 * ```
 * destroyAllForUser: write mark, then deleteByUser
 * regenerate:        delete old, write successor, then read mark
 * ```
 *
 * Each side writes before it reads, so one of them sees the other: either the regenerate's read
 * finds the mark (and drops the successor, unless its predecessor is the spared session or began
 * after the mark), or the read ran before the mark was written, so the successor was stored
 * before `deleteByUser` began, and `deleteByUser` removes it.
 *
 * The mark lives in the session store itself, under a reserved key per user that no session key
 * can spell (a session key is a 64-character hex digest, or a 43-character token with hashing
 * off; neither holds a `:`). It carries no `userId`, so it is never listed, counted or deleted
 * as one of the user's sessions, and it expires with the last session it could concern
 * (`validAfter + absoluteTimeout`). Cost: `destroyAllForUser` reads and writes it (one `get`, one
 * compare-and-set `set`); `regenerate` of a logged-in session reads it (one `get`), and writes it
 * only to move `spared` to the successor of the spared session. `load` and `save` never touch
 * it: a hit stays one `get`.
 *
 * A mark that does not decode as one (written to the store by hand) revokes every successor
 * until "log out everywhere" overwrites it: failing closed costs a login, never a revocation.
 * Miss reasons (telling `revoked` from `not-found`) can read the same mark with
 * {@link readRevocationMark}.
 */
import { ConflictError, isSessionError } from '../errors.js';
import { callStore, type ManagerContext } from './context.js';
import { MANAGER_SOURCE } from './options.js';
import { hashSessionToken } from './tokens.js';

/** What the mark says about one user. */
export interface RevocationMark {
  /** Sessions whose lineage began at or before this time (epoch ms) are revoked. */
  validAfter: number;
  /** The handle of the session "log out everywhere else" kept (and, after a regenerate, of its successor). */
  spared?: string;
}

/** The mark as stored, with the version its next compare-and-set expects. */
export interface StoredRevocationMark {
  /** `undefined` when the stored record is not a mark (it is overwritten by the next one). */
  mark: RevocationMark | undefined;
  version: number;
}

/** The reserved store key of `userId`'s mark: no session key contains a `:`. */
export function revocationMarkKey(userId: string): string {
  return `valid-after:${hashSessionToken(userId)}`;
}

/** `userId`'s mark, or `undefined` when none is live. */
export async function readRevocationMark(
  ctx: ManagerContext,
  userId: string,
): Promise<StoredRevocationMark | undefined> {
  const record = await callStore(ctx, undefined, 'get', () =>
    ctx.store.get(revocationMarkKey(userId)),
  );
  if (record === undefined) return undefined;
  return {
    mark: isRevocationMark(record.data) ? record.data : undefined,
    version: record.version ?? 0,
  };
}

/**
 * Revoke every session of `userId` that began up to now, but `spared` (a handle). Merged with a
 * mark another "log out everywhere" wrote, by compare-and-set, so neither loses the other.
 */
export async function writeRevocationMark(
  ctx: ManagerContext,
  userId: string,
  spared: string | undefined,
): Promise<void> {
  const key = revocationMarkKey(userId);
  for (let attempt = 0; attempt <= ctx.opts.maxRetries; attempt++) {
    const current = await readRevocationMark(ctx, userId);
    const incoming: RevocationMark = { validAfter: ctx.opts.clock(), ...spare(spared) };
    const mark = current?.mark === undefined ? incoming : merge(current.mark, incoming);
    try {
      await callStore(ctx, undefined, 'set', () =>
        ctx.store.set(key, markRecord(ctx, mark), { ifVersion: current?.version ?? 0 }),
      );
      return;
    } catch (err) {
      if (!isSessionError(err, 'CONFLICT')) throw err;
    }
  }
  throw new ConflictError(
    MANAGER_SOURCE,
    '"log out everywhere" lost the race for the revocation mark too often; no session was ended',
  );
}

/**
 * Whether the successor of `predecessor` (a session of `userId`, just replaced by `successor`)
 * may live: yes when no mark covers the predecessor's lineage, or when the predecessor is the
 * spared session, in which case the mark spares its successor from now on.
 */
export async function successorSurvives(
  ctx: ManagerContext,
  userId: string,
  predecessor: { createdAt: number; handle: string },
  successor: string,
): Promise<boolean> {
  const found = await readRevocationMark(ctx, userId);
  if (found === undefined) return true;
  if (found.mark === undefined) return false;
  if (found.mark.validAfter < predecessor.createdAt) return true;
  if (found.mark.spared !== predecessor.handle) return false;
  try {
    const mark = { ...found.mark, spared: successor };
    await callStore(ctx, undefined, 'set', () =>
      ctx.store.set(revocationMarkKey(userId), markRecord(ctx, mark), {
        ifVersion: found.version,
      }),
    );
    return true;
  } catch (err) {
    // Another "log out everywhere" wrote the mark since it was read; it did not spare the
    // successor (it could not know it), so the successor goes, as that call would have it.
    if (isSessionError(err, 'CONFLICT')) return false;
    throw err;
  }
}

/**
 * Two marks as one: the later `validAfter`, and a spared session only where both spare it,
 * unless the incoming mark is strictly newer (then it alone decides what it spares).
 */
function merge(current: RevocationMark, incoming: RevocationMark): RevocationMark {
  if (incoming.validAfter > current.validAfter) return incoming;
  return {
    validAfter: current.validAfter,
    ...spare(current.spared === incoming.spared ? current.spared : undefined),
  };
}

function markRecord(ctx: ManagerContext, mark: RevocationMark) {
  // Past this, every session that began by `validAfter` is over by its absolute timeout.
  return { data: mark, expiresAt: mark.validAfter + ctx.opts.absoluteTimeout };
}

function spare(handle: string | undefined): { spared?: string } {
  return handle === undefined ? {} : { spared: handle };
}

function isRevocationMark(value: unknown): value is RevocationMark {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RevocationMark>;
  return (
    Number.isSafeInteger(v.validAfter) && (v.spared === undefined || typeof v.spared === 'string')
  );
}
