/**
 * A user's sessions: the "active sessions" page (list, revoke one) and "log out everywhere".
 * Nothing here hands out a token: a session is named by its handle, a one-way digest.
 */
import { CorruptError } from '../errors.js';
import { assertValidUserId } from '../validate.js';
import { callStore, handleOf, type ManagerContext, ownState } from './context.js';
import { MANAGER_SOURCE } from './options.js';
import type { DestroyAllOptions, ListForUserOptions, SessionDescription } from './results.js';
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
  for (const { key, record } of await callStore(ctx, undefined, () =>
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
  if (ctx.opts.hashTokens) {
    // The handle is the store key: one strongly consistent read proves ownership.
    const record = await ctx.store.get(handle);
    if (record?.userId !== userId) return false;
    return ctx.store.delete(handle);
  }
  // With hashing off the key is the token and the handle its digest: find it among the user's.
  const entries = await callStore(ctx, undefined, () => ctx.store.listByUser(userId));
  const match = entries.find(({ key }) => handleOf(ctx, key) === handle);
  if (match === undefined) return false;
  return callStore(ctx, match.key, () => ctx.store.delete(match.key));
}

/** "Log out everywhere (else)": delete every session of `userId` but `except`. */
export async function destroyUserSessions<D>(
  ctx: ManagerContext,
  userId: string,
  options: DestroyAllOptions<D> = {},
): Promise<number> {
  assertValidUserId(userId, MANAGER_SOURCE);
  const except = options.except === undefined ? undefined : ownState(ctx, options.except);
  return callStore(ctx, except?.token, () =>
    ctx.store.deleteByUser(userId, except === undefined ? undefined : { except: except.key }),
  );
}
