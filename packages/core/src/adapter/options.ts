/** The options every framework store adapter takes, and their one validation. */
import type { Clock, SessionData, SessionStore } from '../types.js';
import { type OwnerOption, ownerLookup } from './owner.js';

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
  /** The clock used for the expiry of sessions without cookie expiry (default `Date.now`). */
  clock?: Clock;
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
  } = options ?? {};
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') {
    throw new TypeError('store must be a @sessions store (get, set, touch, delete...)');
  }
  if (!Number.isSafeInteger(defaultTtl) || defaultTtl <= 0) {
    throw new RangeError(`defaultTtl must be a positive integer of ms, got ${defaultTtl}`);
  }
  if (typeof hashIds !== 'boolean') throw new TypeError('hashIds must be a boolean');
  if (typeof clock !== 'function') throw new TypeError('clock must be a function');
  return { store, defaultTtl, ownerOf: ownerLookup(options.userId), hashIds, clock };
}
