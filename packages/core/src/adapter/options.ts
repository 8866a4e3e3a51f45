/** The options every framework store adapter takes, and their one validation. */
import type { ListenerErrorHandler, SessionListener } from '../manager/events.js';
import { DEFAULT_ROTATION_GRACE } from '../manager/options.js';
import type { Clock, SessionData, SessionStore } from '../types.js';
import { type OwnerOption, ownerLookup } from './owner.js';

/**
 * The lifecycle events a framework store adapter emits: `miss` (a request got no session, and
 * why) and `revoked` ("log out everywhere"), with the manager's event shapes.
 */
export interface AdapterListeners {
  /** A request got no session: `{ reason, handle }`. The reason never reaches the client. */
  miss?: SessionListener<'miss'>;
  /** `destroyAllForUser` ended sessions: `{ userId, scope: 'all', count, except? }`. */
  revoked?: SessionListener<'revoked'>;
}

/** 24 hours: the lifetime of a session whose cookie has no expiry of its own. */
export const DEFAULT_SESSION_TTL = 24 * 60 * 60 * 1000;

/**
 * Options of a framework store adapter (`ExpressSessionStore`, `FastifySessionStore`), `S`
 * being the framework's session type.
 *
 * @example
 * ```ts
 * const options: AdapterOptions = { store: new RedisStore({ url }), userId: 'accountId' };
 * ```
 */
export interface AdapterOptions<S = SessionData> {
  /**
   * Any `@sessions` store: `MemoryStore`, `SqliteStore`, `RedisStore`, `MongoDBStore`,
   * `DynamoDBStore`, or your own.
   */
  store: SessionStore<SessionData>;
  /**
   * Lifetime in ms of a session whose cookie has no expiry (a browser-session cookie, no
   * `maxAge`). The server still needs an end: default 24 hours.
   */
  defaultTtl?: number;
  /**
   * Where the owner is, for the user index ("log out everywhere"): a top-level field name of
   * the session (default `"userId"`), or a function. Absent or not a non-empty string: no owner.
   */
  userId?: OwnerOption<S>;
  /**
   * Store the SHA-256 of each session ID instead of the ID (default `true`), so that a copy of
   * the database holds no usable session IDs. The IDs cannot then be recovered from the store:
   * listing sessions returns them without their IDs.
   */
  hashIds?: boolean;
  /**
   * The clock used for the expiry of sessions without cookie expiry (default `Date.now`). A
   * record the store still serves past its expiry by this clock is a miss (`expired-idle`).
   */
  clock?: Clock;
  /**
   * Tell `rotated` and `revoked` misses from `not-found` (default `true`): a small tombstone
   * write at each regenerate and per session "log out everywhere" ends, and one `get` on a miss
   * whose session ID the store does not know. A hit is one `get` either way. See
   * docs/why-logged-out.md.
   */
  missReasons?: boolean;
  /** How long an old session ID reads `rotated` after a regenerate, in ms (default 60 s). */
  rotationGrace?: number;
  /**
   * The session cookie's name, when it is not the framework's default: only to tell a
   * `malformed` cookie (bad signature) from `no-cookie`.
   */
  cookieName?: string;
  /** Lifecycle listeners: `miss` and `revoked`. No listener, no cost. */
  on?: AdapterListeners;
  /**
   * Where a listener that throws (or rejects) is reported; it never reaches the request.
   * Default: a process warning (`SESSIONS_LISTENER_ERROR`), at most one a minute.
   */
  onListenerError?: ListenerErrorHandler;
}

/** {@link AdapterOptions} with every default applied. */
export interface ResolvedAdapterOptions<S> {
  /** The store sessions are kept in. */
  store: SessionStore<SessionData>;
  /** Lifetime in ms of a session whose cookie has no expiry. */
  defaultTtl: number;
  /** The session's owner (the user index's `userId`), or `undefined` for an anonymous one. */
  ownerOf: (session: S) => string | undefined;
  /** Whether session IDs are stored as their SHA-256 (default `true`). */
  hashIds: boolean;
  /** The clock that decides expiry, epoch ms. */
  clock: Clock;
  /** Whether misses tell `rotated` and `revoked` from `not-found`. */
  missReasons: boolean;
  /** How long an old session ID reads `rotated`, in ms. */
  rotationGrace: number;
  /** The session cookie's name, if the adapter was told (else its framework's default). */
  cookieName: string | undefined;
  /** Lifecycle listeners given at construction. */
  on: AdapterListeners | undefined;
  /** Where a throwing listener is reported. */
  onListenerError: ListenerErrorHandler | undefined;
}

/**
 * Apply the defaults and check the options once, at construction: a bad option is a
 * `TypeError` or `RangeError` then, not a failure on the first request.
 *
 * @example
 * ```ts
 * const { store, defaultTtl } = resolveAdapterOptions({ store: new MemoryStore() });
 * ```
 */
export function resolveAdapterOptions<S>(options: AdapterOptions<S>): ResolvedAdapterOptions<S> {
  const {
    store,
    defaultTtl = DEFAULT_SESSION_TTL,
    hashIds = true,
    clock = Date.now,
    missReasons = true,
    rotationGrace = DEFAULT_ROTATION_GRACE,
    cookieName,
  } = options ?? {};
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') {
    throw new TypeError('store must be a @sessions store (get, set, touch, delete...)');
  }
  if (!Number.isSafeInteger(defaultTtl) || defaultTtl <= 0) {
    throw new RangeError(`defaultTtl must be a positive integer of ms, got ${defaultTtl}`);
  }
  if (typeof hashIds !== 'boolean') throw new TypeError('hashIds must be a boolean');
  if (typeof clock !== 'function') throw new TypeError('clock must be a function');
  if (typeof missReasons !== 'boolean') throw new TypeError('missReasons must be a boolean');
  if (!Number.isSafeInteger(rotationGrace) || rotationGrace < 0) {
    throw new RangeError(
      `rotationGrace must be a non-negative integer of ms, got ${rotationGrace}`,
    );
  }
  if (cookieName !== undefined && (typeof cookieName !== 'string' || cookieName === '')) {
    throw new TypeError('cookieName must be a non-empty string');
  }
  return {
    store,
    defaultTtl,
    ownerOf: ownerLookup(options.userId),
    hashIds,
    clock,
    missReasons,
    rotationGrace,
    cookieName,
    on: options.on,
    onListenerError: options.onListenerError,
  };
}
