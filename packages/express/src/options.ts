import type { SessionStore, SessionData as StoreData } from '@sessions/core';
import type { SessionData } from 'express-session';

/** Options of {@link SessionsStore} (the express-session adapter). */
export interface ExpressStoreOptions {
  /** Any `@sessions` store: `SqliteStore`, `RedisStore`, `MongoStore`, `DynamoStore`, `MemoryStore`... */
  store: SessionStore<StoreData>;
  /**
   * Lifetime in ms of a session whose cookie has no expiry (express-session's default
   * `cookie.maxAge: null`, a browser-session cookie). The server still needs an end:
   * default 24 hours.
   */
  defaultTtl?: number;
  /**
   * Where the owner is, for the user index ("log out everywhere"): a top-level field name of
   * the session (default `"userId"`), or a function. Absent or not a string: no owner.
   */
  userId?: string | ((session: SessionData) => unknown);
  /**
   * Store the SHA-256 of the session ID instead of the ID (default true), so a copy of the
   * database holds no usable session IDs. `all()` then returns sessions without their IDs.
   */
  hashIds?: boolean;
  /** The clock used for `expiresAt` of sessions without cookie expiry (default `Date.now`). */
  clock?: () => number;
}
