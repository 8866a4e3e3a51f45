/** The options of {@link SqliteStore} (the shared ones are the store kit's) and its errors. */
import { type PruningStoreOptions, type SessionData, UnavailableError } from '@sessions/core';
import { choiceOption } from '@sessions/core/kit';
import type { Database } from 'better-sqlite3';

/** The package name every error of this store carries. */
export const SOURCE = '@sessions/sqlite';
/** Default `pruneInterval`: five minutes. */
export const DEFAULT_PRUNE_INTERVAL_MS = 5 * 60_000;
/** Default table name. */
export const DEFAULT_TABLE = 'sessions';

// The table name is the only identifier ever written into SQL text, so it is held to plain
// ASCII identifier characters; `<table>_meta` stays within SQLite's limits and ours.
const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** How hard SQLite syncs to disk on commit; see the README, "Guarantees". */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * Options of {@link SqliteStore}: the shared store options (`pruneInterval` defaults to 5
 * minutes here; `operationTimeout` also bounds how long an operation waits for a lock held by
 * another connection), and these.
 *
 * @example
 * ```ts
 * const options: SqliteStoreOptions = { database: './sessions.db', pruneInterval: 60_000 };
 * ```
 */
export interface SqliteStoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /**
   * A file path (opened, configured and closed by the store), `':memory:'` (a private database
   * of this store), or an open better-sqlite3 `Database` that the store uses as it is and
   * never closes.
   */
  database: string | Database;
  /** Table holding the sessions (`[A-Za-z_][A-Za-z0-9_]*`, at most 63 characters); default `sessions`. */
  table?: string;
  /**
   * `PRAGMA synchronous` for a file the store opens itself (default `'NORMAL'`). With WAL,
   * `NORMAL` never corrupts the database but may lose the last commits on power loss;
   * `'FULL'` syncs every commit. Ignored for a `Database` you pass in (it keeps your settings).
   */
  synchronous?: SqliteSynchronous;
}

/** `table` and `synchronous` with their defaults; a malformed one is a `TypeError` naming it. */
export function resolveSqliteOptions(options: Partial<SqliteStoreOptions<unknown>>) {
  const { table = DEFAULT_TABLE } = options;
  if (typeof table !== 'string' || !TABLE_PATTERN.test(table) || /^sqlite_/i.test(table)) {
    throw new TypeError(
      `[${SOURCE}] table must match ${TABLE_PATTERN} and not start with "sqlite_", got ${JSON.stringify(table)}`,
    );
  }
  const choices: SqliteSynchronous[] = ['NORMAL', 'FULL'];
  const synchronous = choiceOption(options.synchronous, 'NORMAL', 'synchronous', choices, SOURCE);
  return { table, synchronous };
}

/** The settings the SQLite driver works with. */
export type SqliteSettings = ReturnType<typeof resolveSqliteOptions> & { operationTimeout: number };

/** An `UNAVAILABLE` error of this store. */
export function unavailable(message: string, cause?: unknown): UnavailableError {
  return new UnavailableError(SOURCE, message, cause === undefined ? undefined : { cause });
}
