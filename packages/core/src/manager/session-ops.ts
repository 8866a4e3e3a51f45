/**
 * The life of one session: create, load, save, regenerate, destroy. Every write is a
 * compare-and-set against the version that was loaded, which is what makes "no lost updates"
 * and "no resurrection" hold on every store.
 */
import { ConflictError, isSessionError } from '../errors.js';
import type { SessionRecord } from '../types.js';
import { assertValidUserId } from '../validate.js';
import { callStore, handleOf, keyOf, type ManagerContext, ownState } from './context.js';
import { writeTombstone } from './miss-reasons.js';
import { MANAGER_SOURCE } from './options.js';
import type { CreateSessionInput, RegenerateOptions, SaveResult } from './results.js';
import { successorSurvives } from './revocation-mark.js';
import { ManagedSession, markClean, type Session, type SessionEnvelope } from './session.js';
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
      storedUserId: undefined,
      destroyed: false,
    },
    { data: fields.data, ...optional('userId', fields.userId), ...optional('meta', fields.meta) },
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
    ({ version } = await callStore(ctx, state.token, 'set', () =>
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
  state.storedUserId = session.userId;
  state.lastSeenAt = now;
  state.expiresAt = expiresAt;
  markClean(session as ManagedSession<unknown>);
  if (ctx.events.has('saved')) {
    ctx.events.emit({ type: 'saved', handle: state.handle, userId: session.userId });
  }
  return 'saved';
}

/** `save`: one write attempt, with a conflict resolved into "destroyed", "unchanged" or a throw. */
export async function saveSession<D>(
  ctx: ManagerContext,
  session: Session<D>,
): Promise<SaveResult> {
  const state = ownState(ctx, session);
  const hadChanges = state.version === 0 || session.changed;
  const isNew = state.version === 0;
  const outcome = await persistSession(ctx, session);
  if (outcome === 'saved' && isNew && ctx.events.has('created')) {
    ctx.events.emit({ type: 'created', handle: state.handle, userId: session.userId });
  }
  if (outcome !== 'conflict') return { status: outcome };
  // The compare-and-set failed: either the session is gone (stored version "absent" against a
  // loaded version of at least 1) or another request wrote a newer version.
  const current = await callStore(ctx, state.token, 'get', () => ctx.store.get(state.key));
  if (current === undefined) {
    state.destroyed = true;
    return { status: 'destroyed' };
  }
  // A touch that lost to a newer write lost nothing: that write moved the expiry itself.
  if (!hadChanges) return { status: 'unchanged' };
  if (ctx.events.has('conflict')) {
    ctx.events.emit({
      type: 'conflict',
      handle: state.handle,
      userId: session.userId,
      operation: 'save',
    });
  }
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
    const key = keyOf(ctx, target);
    const gone = await callStore(ctx, target, 'delete', () => ctx.store.delete(key));
    if (gone && ctx.events.has('destroyed')) {
      ctx.events.emit({ type: 'destroyed', handle: handleOf(ctx, key), userId: undefined });
    }
    return gone;
  }
  const state = ownState(ctx, target);
  const removed = await callStore(ctx, state.token, 'delete', () => ctx.store.delete(state.key));
  // Only now: if the delete failed, the session still exists and must not claim otherwise.
  state.destroyed = true;
  if (removed && ctx.events.has('destroyed')) {
    ctx.events.emit({ type: 'destroyed', handle: state.handle, userId: state.storedUserId });
  }
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
  // (the delete finds nothing, and no successor is created). One that comes in between is
  // caught by its revocation mark, read once the successor is stored (revocation-mark.ts).
  const owner = state.storedUserId;
  const removed =
    state.version === 0 ||
    (await callStore(ctx, state.token, 'delete', () => ctx.store.delete(state.key)));
  // The old object is spent from here on, whatever happens next: it must never be saved again.
  state.destroyed = true;
  if (!removed) return undefined;
  // The old token comes back from tabs and requests in flight for a while: say `rotated`, not
  // `not-found`, for the grace window (never past the old session's own end).
  if (state.version !== 0 && ctx.opts.rotationGrace > 0) {
    await writeTombstone(
      ctx,
      state.handle,
      'rotated',
      Math.min(now + ctx.opts.rotationGrace, state.expiresAt),
    );
  }
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
  const nextState = ownState(ctx, next);
  if (owner !== undefined && !(await successorSurvives(ctx, owner, state, next.handle))) {
    // "Log out everywhere" ran meanwhile and covers the session this one replaces. Removed
    // quietly: no client ever held it, so it was never created or destroyed for anyone.
    await callStore(ctx, undefined, 'delete', () => ctx.store.delete(nextState.key));
    nextState.destroyed = true;
    return undefined;
  }
  if (ctx.events.has('rotated')) {
    ctx.events.emit({
      type: 'rotated',
      handle: next.handle,
      previousHandle: state.handle,
      userId: next.userId,
    });
  }
  return next;
}

/** `{ [name]: value }` when value is defined, else `{}` (keeps absent fields absent). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
