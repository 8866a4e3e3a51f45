/**
 * A user's sessions: the "active sessions" page (list, revoke one) and "log out everywhere".
 * Nothing here hands out a token: a session is named by its handle, a one-way digest.
 */
import { CorruptError } from '../errors.js';
import { assertValidUserId } from '../validate.js';
import { callStore, handleOf, type ManagerContext, ownState } from './context.js';
import { writeTombstone } from './miss-reasons.js';
import { MANAGER_SOURCE } from './options.js';
import type { DestroyAllOptions, ListForUserOptions, SessionDescription } from './results.js';
import { writeRevocationMark } from './revocation-mark.js';
import { isSessionEnvelope } from './session.js';
import { expiresAtFor, isWithinTimeouts } from './timeouts.js';

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** Every live session of `userId`, most recently used first. */
export async function listUserSessions<D>(
  ctx: ManagerContext,
  userId: string,
  options: ListForUserOptions<D> = {},
): Promise<SessionDescription[]> {
  assertValidUserId(userId, MANAGER_SOURCE);
  const currentHandle =
    options.current === undefined ? undefined : ownState(ctx, options.current).handle;
  const now = ctx.opts.clock();
  const out: SessionDescription[] = [];
  for (const { key, record } of await callStore(ctx, undefined, 'listByUser', () =>
    ctx.store.listByUser(userId),
  )) {
    const envelope = record.data;
    if (!isSessionEnvelope(envelope)) {
      throw new CorruptError(MANAGER_SOURCE, 'a stored record is not a session manager envelope');
    }
    // Same rule as load: a session past the manager's own limits is not shown as active.
    if (!isWithinTimeouts(ctx.opts, envelope.createdAt, envelope.lastSeenAt, now)) continue;
    const handle = handleOf(ctx, key);
    out.push({
      handle,
      createdAt: envelope.createdAt,
      lastSeenAt: envelope.lastSeenAt,
      expiresAt: Math.min(
        record.expiresAt,
        expiresAtFor(ctx.opts, envelope.createdAt, envelope.lastSeenAt),
      ),
      ...(envelope.meta === undefined ? {} : { meta: envelope.meta }),
      current: handle === currentHandle,
    });
  }
  return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

/**
 * End the session `handle` names, if it belongs to `userId`. A handle of someone else's session
 * (or a made-up one) changes nothing and resolves to false.
 */
export async function revokeUserSession(
  ctx: ManagerContext,
  userId: string,
  handle: string,
): Promise<boolean> {
  assertValidUserId(userId, MANAGER_SOURCE);
  if (typeof handle !== 'string' || !HEX_DIGEST.test(handle)) return false;
  let key: string;
  let expiresAt: number;
  if (ctx.opts.hashTokens) {
    // The handle is the store key: one strongly consistent read proves ownership.
    const record = await callStore(ctx, undefined, 'get', () => ctx.store.get(handle));
    if (record?.userId !== userId) return false;
    key = handle;
    expiresAt = record.expiresAt;
  } else {
    // With hashing off the key is the token and the handle its digest: find it among the user's.
    const entries = await callStore(ctx, undefined, 'listByUser', () =>
      ctx.store.listByUser(userId),
    );
    const match = entries.find((entry) => handleOf(ctx, entry.key) === handle);
    if (match === undefined) return false;
    key = match.key;
    expiresAt = match.record.expiresAt;
  }
  // The tombstone first: from the moment the session is gone, its token reads as `revoked`.
  await writeTombstone(ctx, handle, 'revoked', expiresAt);
  const removed = await callStore(ctx, key, 'delete', () => ctx.store.delete(key));
  if (removed && ctx.events.has('revoked')) {
    ctx.events.emit({ type: 'revoked', userId, scope: 'one', count: 1, handle });
  }
  return removed;
}

/**
 * "Log out everywhere (else)": delete every session of `userId` but `except`. The revocation
 * mark goes first, so a regenerate racing this call cannot carry a session past it
 * (revocation-mark.ts).
 */
export async function destroyUserSessions<D>(
  ctx: ManagerContext,
  userId: string,
  options: DestroyAllOptions<D> = {},
): Promise<number> {
  assertValidUserId(userId, MANAGER_SOURCE);
  const except = options.except === undefined ? undefined : ownState(ctx, options.except);
  return endUserSessions(ctx, userId, except);
}

/**
 * "Log out everywhere (else)" once the session to keep (if any) is known: the user's revocation
 * mark first (so a regenerate racing this call cannot carry a session past it), a `revoked`
 * tombstone per session it ends, the delete, then the `revoked` event. Resolves to how many
 * sessions ended. The manager and the adapter kit both end a user's sessions through it.
 */
export async function endUserSessions(
  ctx: ManagerContext,
  userId: string,
  except: { key: string; handle: string; token?: string } | undefined,
): Promise<number> {
  await writeRevocationMark(ctx, userId, except?.handle);
  if (ctx.opts.missReasons) await leaveTombstones(ctx, userId, except?.key);
  const count = await callStore(ctx, except?.token, 'deleteByUser', () =>
    ctx.store.deleteByUser(userId, except === undefined ? undefined : { except: except.key }),
  );
  if (ctx.events.has('revoked')) {
    ctx.events.emit({
      type: 'revoked',
      userId,
      scope: 'all',
      count,
      ...(except === undefined ? {} : { except: except.handle }),
    });
  }
  return count;
}

/**
 * A `revoked` tombstone for each session "log out everywhere" is about to end, each living as
 * long as its session would have. Best effort by design: a session the user index does not show
 * yet (a lagging index, a login this very moment) gets none, and its token reads `not-found`.
 */
async function leaveTombstones(
  ctx: ManagerContext,
  userId: string,
  exceptKey: string | undefined,
): Promise<void> {
  const entries = await callStore(ctx, undefined, 'listByUser', () => ctx.store.listByUser(userId));
  await Promise.all(
    entries
      .filter(({ key }) => key !== exceptKey)
      .map(({ key, record }) =>
        writeTombstone(ctx, handleOf(ctx, key), 'revoked', record.expiresAt),
      ),
  );
}
