/**
 * What every manager operation shares: the resolved options, the token-to-key mapping, and the
 * guard that keeps tokens out of error messages when hashing is switched off.
 */
import { isSessionError } from '../errors.js';
import type { SessionStore } from '../types.js';
import { ManagerEvents, type StoreOperation } from './events.js';
import type { ResolvedManagerOptions } from './options.js';
import { type Session, type SessionState, stateOf } from './session.js';
import { hashSessionToken } from './tokens.js';

/** One manager's shared state. Internal. */
export interface ManagerContext {
  readonly opts: ResolvedManagerOptions;
  readonly store: SessionStore<unknown>;
  /** Stamped on every session this manager makes. */
  readonly owner: symbol;
  /** The lifecycle events; emit sites ask `events.has(type)` first, so no listener costs nothing. */
  readonly events: ManagerEvents;
}

/** A new context for a manager. */
export function createContext(opts: ResolvedManagerOptions): ManagerContext {
  return {
    opts,
    store: opts.store,
    owner: Symbol('session-manager'),
    events: new ManagerEvents(opts.onListenerError, opts.on),
  };
}

/** The store key of a token: its SHA-256 digest, or the token itself with hashing off. */
export function keyOf(ctx: ManagerContext, token: string): string {
  return ctx.opts.hashTokens ? hashSessionToken(token) : token;
}

/**
 * The public handle of a store key. With hashing on, the key already is a one-way digest and
 * safe to show; with it off, the key is the token, so the handle is its digest instead.
 */
export function handleOf(ctx: ManagerContext, key: string): string {
  return ctx.opts.hashTokens ? key : hashSessionToken(key);
}

/** The bookkeeping of a session, refusing sessions another manager made. */
export function ownState(ctx: ManagerContext, session: Session<unknown>): SessionState {
  const state = stateOf(session);
  if (state.owner !== ctx.owner) {
    throw new TypeError('[@sessions/core] this session was created by another session manager');
  }
  return state;
}

/**
 * Run a store call, reporting a failure (anything but a lost compare-and-set, which is an
 * ordinary outcome) as a `store-error` event before it travels on. With hashing on, a store only ever sees digests, so its errors cannot
 * quote a token. With hashing off, the key is the token: scrub it from the error's message and
 * stack before the error travels on to logs. (A driver error riding along as `cause` is not
 * rewritten; that is one reason hashing is on by default.)
 */
export async function callStore<T>(
  ctx: ManagerContext,
  token: string | undefined,
  operation: StoreOperation,
  op: () => Promise<T>,
): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (!ctx.opts.hashTokens && token !== undefined && err instanceof Error) scrub(err, token);
    if (ctx.events.has('store-error') && !isSessionError(err, 'CONFLICT')) {
      ctx.events.emit({ type: 'store-error', operation, error: err });
    }
    throw err;
  }
}

function scrub(err: Error, secret: string): void {
  if (err.message.includes(secret)) err.message = err.message.replaceAll(secret, '[token]');
  if (err.stack?.includes(secret)) err.stack = err.stack.replaceAll(secret, '[token]');
}
