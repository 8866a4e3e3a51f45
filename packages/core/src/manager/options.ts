/**
 * Options of the session manager, their defaults, and the checks that refuse a configuration
 * that could not work (or that a browser would silently reject) at construction time.
 */
import type { Clock, SessionStore } from '../types.js';
import {
  type ResolvedCookieOptions,
  resolveCookieOptions,
  type SessionCookieOptions,
} from './cookies.js';
import type { ListenerErrorHandler, SessionListeners } from './events.js';

/** Thirty minutes: the default idle timeout. */
export const DEFAULT_IDLE_TIMEOUT = 30 * 60_000;
/** Eight hours (a working day): the default absolute timeout. */
export const DEFAULT_ABSOLUTE_TIMEOUT = 8 * 60 * 60_000;
/** One minute: the default touch threshold (never more than a quarter of the idle timeout). */
export const DEFAULT_TOUCH_AFTER = 60_000;
/** One minute: how long an old token is reported `rotated` after `regenerate`, by default. */
export const DEFAULT_ROTATION_GRACE = 60_000;
/** Five: how often `update` retries a compare-and-set that lost a race, by default. */
export const DEFAULT_MAX_RETRIES = 5;

/**
 * Options of {@link createSessionManager}. All durations are milliseconds.
 *
 * @example
 * ```ts
 * const options: SessionManagerOptions = {
 *   store: new MemoryStore(),
 *   idleTimeout: 15 * 60_000,
 *   absoluteTimeout: 8 * 60 * 60_000,
 * };
 * ```
 */
export interface SessionManagerOptions {
  /**
   * Where sessions live. Any store of the contract; its codec must round-trip the envelope the
   * manager stores (`{ data, createdAt, lastSeenAt, meta? }`), which the default JSON codec does
   * for JSON data. Give the store the same clock as the manager.
   */
  store: SessionStore<unknown>;
  /** A session not used for this long is over (ASVS 7.3.1). Default 30 minutes. */
  idleTimeout?: number;
  /** A session is over this long after it was created, however active (ASVS 7.3.2). Default 8 hours. */
  absoluteTimeout?: number;
  /**
   * An unchanged session is written back (its `lastSeenAt` and expiry moved) only when more than
   * this has passed since `lastSeenAt`, so a busy session costs no write per request. Must be
   * below `idleTimeout`. Default: 1 minute, at most a quarter of `idleTimeout`.
   */
  touchAfter?: number;
  /** The session cookie; see {@link SessionCookieOptions} for the secure defaults. */
  cookie?: SessionCookieOptions;
  /**
   * Store SHA-256 digests of tokens instead of the tokens (default `true`). Turning it off puts
   * usable tokens in the store (and in store error messages): only for migrations.
   */
  hashTokens?: boolean;
  /** What "now" is, in epoch ms (default `Date.now`). Give the store the same clock. */
  clock?: Clock;
  /** How often `update` retries after a conflict before it throws `ConflictError` (default 5). */
  maxRetries?: number;
  /**
   * The base of `update`'s backoff between retries, in ms (default 5). Retry n waits a random
   * time in `[0, retryDelay × 2^n]`, capped at 250 ms, so racing writers spread out.
   */
  retryDelay?: number;
  /**
   * Tell `rotated` and `revoked` misses from `not-found` (default `true`). It costs a small
   * tombstone write at `regenerate` and `revoke` (and one per ended session plus a `listByUser`
   * at "log out everywhere"), and one `get` on a miss with a well-formed token, only when the
   * reason is asked for (`loadWithReason`, a `miss` listener). A hit is one `get` either way.
   * See docs/why-logged-out.md.
   */
  missReasons?: boolean;
  /**
   * How long an old token is reported `rotated` after `regenerate`, in ms (default 60 s); its
   * tombstone lives that long. 0 writes none.
   */
  rotationGrace?: number;
  /** Lifecycle event listeners, as `manager.on(type, listener)` would add them. */
  on?: SessionListeners;
  /**
   * Where a listener that throws (or rejects) is reported; it never reaches the request.
   * Default: a process warning (`SESSIONS_LISTENER_ERROR`), at most one a minute.
   */
  onListenerError?: ListenerErrorHandler;
}

/** Options after defaults and checks. Internal. */
export interface ResolvedManagerOptions {
  store: SessionStore<unknown>;
  idleTimeout: number;
  absoluteTimeout: number;
  touchAfter: number;
  cookie: ResolvedCookieOptions;
  hashTokens: boolean;
  clock: Clock;
  maxRetries: number;
  retryDelay: number;
  missReasons: boolean;
  rotationGrace: number;
  on: SessionListeners | undefined;
  onListenerError: ListenerErrorHandler | undefined;
}

/** The package every manager error names as its source. */
export const MANAGER_SOURCE = '@sessions/core';

/** Apply defaults and refuse what cannot work. Throws `TypeError` (a programming error). */
export function resolveManagerOptions(options: SessionManagerOptions): ResolvedManagerOptions {
  if (typeof options !== 'object' || options === null || typeof options.store !== 'object') {
    throw new TypeError(`[${MANAGER_SOURCE}] createSessionManager needs a store`);
  }
  const idleTimeout = positive('idleTimeout', options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT);
  const absoluteTimeout = positive(
    'absoluteTimeout',
    options.absoluteTimeout ?? DEFAULT_ABSOLUTE_TIMEOUT,
  );
  const touchAfter = nonNegative(
    'touchAfter',
    options.touchAfter ?? Math.min(DEFAULT_TOUCH_AFTER, Math.floor(idleTimeout / 4)),
  );
  // A threshold at or past the idle timeout would let a session in active use die of idleness.
  if (touchAfter >= idleTimeout) {
    throw new TypeError(`[${MANAGER_SOURCE}] touchAfter must be below idleTimeout`);
  }
  return {
    store: options.store,
    idleTimeout,
    absoluteTimeout,
    touchAfter,
    cookie: resolveCookieOptions(options.cookie, MANAGER_SOURCE),
    hashTokens: options.hashTokens ?? true,
    clock: options.clock ?? Date.now,
    maxRetries: nonNegative('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES),
    retryDelay: nonNegative('retryDelay', options.retryDelay ?? 5),
    missReasons: options.missReasons ?? true,
    rotationGrace: nonNegative('rotationGrace', options.rotationGrace ?? DEFAULT_ROTATION_GRACE),
    on: options.on,
    onListenerError: options.onListenerError,
  };
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`[${MANAGER_SOURCE}] ${name} must be a positive integer of milliseconds`);
  }
  return value;
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`[${MANAGER_SOURCE}] ${name} must be a non-negative integer`);
  }
  return value;
}
