/**
 * Loading a session, and saying why when there is none. A hit is one store `get` and allocates
 * nothing beyond the session; the work of telling a miss's reason happens on the miss path only
 * (see miss-reasons.ts for what it costs).
 */
import { CorruptError, isSessionError } from '../errors.js';
import { callStore, handleOf, keyOf, type ManagerContext } from './context.js';
import { expiryReason, explainNotFound, type MissReason } from './miss-reasons.js';
import { MANAGER_SOURCE } from './options.js';
import {
  isSessionEnvelope,
  ManagedSession,
  type Session,
  type SessionEnvelope,
} from './session.js';
import { expiresAtFor, isWithinTimeouts } from './timeouts.js';
import { isSessionToken } from './tokens.js';

/**
 * The live session for `token`, or why there is none. A string result is a miss reason, so a
 * hit allocates no wrapper. `explain`: read the tombstone on a miss even if no `miss` listener
 * asks (the caller wants the reason).
 */
export async function loadOrMiss<D>(
  ctx: ManagerContext,
  token: unknown,
  explain: boolean,
): Promise<Session<D> | MissReason> {
  if (token === undefined || token === null) return miss(ctx, 'no-cookie');
  if (!isSessionToken(token)) return miss(ctx, 'malformed');
  const key = keyOf(ctx, token);
  let record: Awaited<ReturnType<typeof ctx.store.get>>;
  try {
    record = await callStore(ctx, token, 'get', () => ctx.store.get(key));
  } catch (err) {
    if (isSessionError(err, 'UNAVAILABLE') || isSessionError(err, 'CLOSED')) {
      miss(ctx, 'store-unavailable', handleOf(ctx, key));
    }
    throw err;
  }
  if (record === undefined) {
    const handle = handleOf(ctx, key);
    if (!explain && !ctx.events.has('miss')) return 'not-found';
    return miss(ctx, await explainNotFound(ctx, handle), handle);
  }
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
    await callStore(ctx, token, 'delete', () => ctx.store.delete(key));
    return miss(
      ctx,
      expiryReason(ctx.opts, envelope.createdAt, envelope.lastSeenAt),
      handleOf(ctx, key),
    );
  }
  const handle = handleOf(ctx, key);
  if (ctx.events.has('loaded')) ctx.events.emit({ type: 'loaded', handle, userId: record.userId });
  // The constructor records the loaded fields as the clean baseline for change tracking.
  return new ManagedSession<D>(
    {
      owner: ctx.owner,
      token,
      key,
      handle,
      createdAt: envelope.createdAt,
      lastSeenAt: envelope.lastSeenAt,
      expiresAt: Math.min(
        record.expiresAt,
        expiresAtFor(ctx.opts, envelope.createdAt, envelope.lastSeenAt),
      ),
      version: record.version as number,
      storedUserId: record.userId,
      destroyed: false,
    },
    {
      data: envelope.data,
      ...(record.userId === undefined ? {} : { userId: record.userId }),
      ...(envelope.meta === undefined ? {} : { meta: envelope.meta }),
    },
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
  const found = await loadOrMiss<D>(ctx, token, false);
  return typeof found === 'string' ? undefined : found;
}

function miss(ctx: ManagerContext, reason: MissReason, handle?: string): MissReason {
  if (ctx.events.has('miss')) ctx.events.emit({ type: 'miss', reason, handle });
  return reason;
}
