import type { SessionData, SessionStore } from '@sessions/core';

/** Options of {@link FastifySessionStore}. */
export interface FastifyStoreOptions {
  /** Any `@sessions` store: `SqliteStore`, `RedisStore`, `MongoStore`, `DynamoStore`, `MemoryStore`... */
  store: SessionStore<SessionData>;
  /**
   * Lifetime in ms of a session whose cookie has no expiry (no `maxAge`/`expires`, a
   * browser-session cookie). The server still needs an end: default 24 hours.
   */
  defaultTtl?: number;
  /**
   * Where the owner is, for the user index ("log out everywhere"): a top-level field name of
   * the session (default `"userId"`), or a function. Absent or not a string: no owner.
   */
  userId?: string | ((session: Record<string, unknown>) => unknown);
  /** Store the SHA-256 of the session ID instead of the ID (default true). */
  hashIds?: boolean;
  /** The clock used for `expiresAt` of sessions without cookie expiry (default `Date.now`). */
  clock?: () => number;
}
