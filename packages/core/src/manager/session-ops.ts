/**
 * The life of one session: create, load, save, regenerate, destroy. Every write is a
 * compare-and-set against the version that was loaded, which is what makes "no lost updates"
 * and "no resurrection" hold on every store.
 */
import { ConflictError, CorruptError, isSessionError } from '../errors.js';
import type { SessionRecord } from '../types.js';
import { assertValidUserId } from '../validate.js';
import { callStore, handleOf, keyOf, type ManagerContext, ownState } from './context.js';
import { MANAGER_SOURCE } from './options.js';
import type { CreateSessionInput, RegenerateOptions, SaveResult } from './results.js';
import {
  isSessionEnvelope,
  ManagedSession,
  markClean,
  type Session,
  type SessionEnvelope,
} from './session.js';
import { expiresAtFor, isTouchDue, isWithinTimeouts } from './timeouts.js';
import { generateSessionToken, isSessionToken } from './tokens.js';

/** What one write attempt came to; `'conflict'` is resolved by the caller (save or update). */
export type PersistOutcome = 'saved' | 'unchanged' | 'destroyed' | 'conflict';

/** A fresh, unsaved session under a token only the server chose. */
export function createSession<D>(ctx: ManagerContext, input: CreateSessionInput<D>): Session<D> {
  if (input.userId !== undefined) assertValidUserId(input.userId, MANAGER_SOURCE);
  const now = ctx.opts.clock();
  return newSession(ctx, now, now, input);
}

function newSession<D>(
  ctx: ManagerContext,
  createdAt: number,
  now: number,
  fields: { data: D; userId?: string | undefined; meta?: Session<D>['meta'] },
): ManagedSession<D> {
  const token = generateSessionToken();
  const key = keyOf(ctx, token);
  return new ManagedSession<D>(
    {
      owner: ctx.owner,
      token,
      key,
      handle: handleOf(ctx, key),
      createdAt,
      lastSeenAt: now,
      expiresAt: expiresAtFor(ctx.opts, createdAt, now),
      version: 0,
      destroyed: false,
    },
    { data: fields.data, ...optional('userId', fields.userId), ...optional('meta', fields.meta) },
  );
}

/**
 * The live session for `token`, or `undefined`. Strict: a malformed token never reaches the
 * store, and an unknown one is a miss; nothing is ever created under a client-chosen value.
 */
export async function loadSession<D>(
  ctx: ManagerContext,
  token: string | undefined,
): Promise<Session<D> | undefined> {
  if (!isSessionToken(token)) return undefined;
  const key = keyOf(ctx, token);
  const record = await callStore(ctx, token, () => ctx.store.get(key));
  if (record === undefined) return undefined;
  // Messages name no key: with hashing off the key is the token.
  if (!isSessionEnvelope(record.data)) {
    throw new CorruptError(MANAGER_SOURCE, 'a stored record is not a session manager envelope');
  }
  if (!Number.isSafeInteger(record.version) || (record.version ?? 0) < 1) {
    throw new CorruptError(MANAGER_SOURCE, 'the store returned a record without a version');
  }
  const envelope = record.data as SessionEnvelope<D>;
  const now = ctx.opts.clock();
  // The store already hides records past `expiresAt`. Check the manager's own limits as well, so
  // a record written under longer timeouts (an old configuration) is still cut off, and remove
  // it at the backend so the token is dead everywhere, not only here.
  if (
    now >= record.expiresAt ||
    !isWithinTimeouts(ctx.opts, envelope.createdAt, envelope.lastSeenAt, now)
  ) {
    await callStore(ctx, token, () => ctx.store.delete(key));
    return undefined;
  }
  // The constructor records the loaded fields as the clean baseline for change tracking.
  return new ManagedSession<D>(
    {
      owner: ctx.owner,
      token,
      key,
      handle: handleOf(ctx, key),
      createdAt: envelope.createdAt,
      lastSeenAt: envelope.lastSeenAt,
      expiresAt: Math.min(
        record.expiresAt,
        expiresAtFor(ctx.opts, envelope.createdAt, envelope.lastSeenAt),
      ),
      version: record.version as number,
      destroyed: false,
    },
    {
      data: envelope.data,
      ...optional('userId', record.userId),
      ...optional('meta', envelope.meta),
    },
  );
}

/**
 * One compare-and-set write of `session`, if it needs one.
 *
 * An unchanged session whose touch is due is written with `set` (same data, new `lastSeenAt`)
 * rather than the store's `touch`: `touch` moves only `expiresAt`, which would leave the stored
 * `lastSeenAt` behind, so the idle check on load would end a session in active use and the
 * "active sessions" page would show stale times. A write every `touchAfter` is the price of an
 * exact `lastSeenAt`; it is also a compare-and-set, so a touch can never resurrect either.
 */
export async function persistSession<D>(
  ctx: ManagerContext,
  session: Session<D>,
): Promise<PersistOutcome> {
  const state = ownState(ctx, session);
  if (state.destroyed) return 'destroyed';
  const now = ctx.opts.clock();
  const isNew = state.version === 0;
  if (!isNew && !session.changed && !isTouchDue(ctx.opts.touchAfter, state.lastSeenAt, now))
    return 'unchanged';
  // Past its limits the session is over; the store already stopped serving it, so any write
  // would either fail the compare-and-set or store a corpse.
  if (!isWithinTimeouts(ctx.opts, state.createdAt, state.lastSeenAt, now)) {
    state.destroyed = true;
    return 'destroyed';
  }
  if (session.userId !== undefined) assertValidUserId(session.userId, MANAGER_SOURCE);
  const envelope: SessionEnvelope<D> = {
    data: session.data,
    createdAt: state.createdAt,
    lastSeenAt: now,
    ...optional('meta', session.meta),
  };
  const expiresAt = expiresAtFor(ctx.opts, state.createdAt, now);
  const record: SessionRecord<unknown> = {
    data: envelope,
    expiresAt,
    ...optional('userId', session.userId),
  };
  let version: number;
  try {
    ({ version } = await callStore(ctx, state.token, () =>
      ctx.store.set(state.key, record, { ifVersion: state.version }),
    ));
  } catch (err) {
    if (isSessionError(err, 'CONFLICT')) return 'conflict';
    throw err;
  }
  // Version 0 means the store judged the record expired by its own clock and deleted it.
  if (version === 0) {
    state.destroyed = true;
    return 'destroyed';
  }
  state.version = version;
  state.lastSeenAt = now;
  state.expiresAt = expiresAt;
  markClean(session as ManagedSession<unknown>);
  return 'saved';
}

/** `save`: one write attempt, with a conflict resolved into "destroyed", "unchanged" or a throw. */
export async function saveSession<D>(
  ctx: ManagerContext,
  session: Session<D>,
): Promise<SaveResult> {
  const state = ownState(ctx, session);
  const hadChanges = state.version === 0 || session.changed;
  const outcome = await persistSession(ctx, session);
  if (outcome !== 'conflict') return { status: outcome };
  // The compare-and-set failed: either the session is gone (stored version "absent" against a
  // loaded version of at least 1) or another request wrote a newer version.
  const current = await callStore(ctx, state.token, () => ctx.store.get(state.key));
  if (current === undefined) {
    state.destroyed = true;
    return { status: 'destroyed' };
  }
  // A touch that lost to a newer write lost nothing: that write moved the expiry itself.
  if (!hadChanges) return { status: 'unchanged' };
  throw new ConflictError(
    MANAGER_SOURCE,
    'another request saved this session after it was loaded; nothing was written. ' +
      'Load it again and reapply the change, or use update(token, fn), which does so',
  );
}

/** `destroy`: remove the session at the backend; its token is dead from now on. */
export async function destroySession<D>(
  ctx: ManagerContext,
  target: Session<D> | string,
): Promise<boolean> {
  if (typeof target === 'string') {
    if (!isSessionToken(target)) return false;
    return callStore(ctx, target, () => ctx.store.delete(keyOf(ctx, target)));
  }
  const state = ownState(ctx, target);
  const removed = await callStore(ctx, state.token, () => ctx.store.delete(state.key));
  // Only now: if the delete failed, the session still exists and must not claim otherwise.
  state.destroyed = true;
  return removed;
}

/**
 * `regenerate`: a new token carrying the same data; the old token dies first. If the old
 * session is already gone (logged out elsewhere, revoked, expired), there is nothing to carry
 * over, and creating a successor would bring it back: the result is `undefined`.
 */
export async function regenerateSession<D>(
  ctx: ManagerContext,
  session: Session<D>,
  options: RegenerateOptions = {},
): Promise<Session<D> | undefined> {
  const state = ownState(ctx, session);
  if (options.userId !== undefined) assertValidUserId(options.userId, MANAGER_SOURCE);
  if (state.destroyed) return undefined;
  const now = ctx.opts.clock();
  if (!isWithinTimeouts(ctx.opts, state.createdAt, state.lastSeenAt, now)) {
    state.destroyed = true;
    return undefined;
  }
  // Delete before creating: if anything fails after this point the user is logged out, never
  // left with two live tokens, and a concurrent "log out everywhere" that got here first wins
  // (the delete finds nothing, and no successor is created).
  const removed =
    state.version === 0 || (await callStore(ctx, state.token, () => ctx.store.delete(state.key)));
  // The old object is spent from here on, whatever happens next: it must never be saved again.
  state.destroyed = true;
  if (!removed) return undefined;
  const restart = options.restartLifetime ?? options.userId !== undefined;
  const next = newSession(ctx, restart ? now : state.createdAt, now, {
    data: session.data,
    userId: options.userId ?? session.userId,
    meta: session.meta,
  });
  const outcome = await persistSession(ctx, next);
  if (outcome === 'destroyed') return undefined;
  // `ifVersion: 0` on a fresh 256-bit key: a conflict means the CSPRNG repeated itself.
  if (outcome === 'conflict')
    throw new ConflictError(MANAGER_SOURCE, 'a freshly minted session key already exists');
  return next;
}

/** `{ [name]: value }` when value is defined, else `{}` (keeps absent fields absent). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
