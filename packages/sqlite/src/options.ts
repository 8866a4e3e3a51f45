/**
 * The options of {@link SqliteStore} and their validation. Everything is checked in the
 * constructor, before the database is touched.
 */
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/** The package name every error of this store carries. */
export const SOURCE = '@sessions/sqlite';

/** Default `pruneInterval`: five minutes. */
export const DEFAULT_PRUNE_INTERVAL_MS = 5 * 60_000;
/** Default `operationTimeout`: the longest any operation waits for a lock, in ms. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 2000;
/** Default table name. */
export const DEFAULT_TABLE = 'sessions';

// The table name is the only identifier ever written into SQL text, so it is held to plain
// ASCII identifier characters; `<table>_meta` stays within SQLite's limits and ours.
const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** How hard SQLite syncs to disk on commit; see the README, "Guarantees". */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * Options of {@link SqliteStore}.
 *
 * @example
 * ```ts
 * const options: SqliteStoreOptions = { database: './sessions.db', pruneInterval: 60_000 };
 * ```
 */
export interface SqliteStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /**
   * A file path (opened, configured and closed by the store), `':memory:'` (a private database
   * of this store), or an open better-sqlite3 `Database` that the store uses as it is and
   * never closes.
   */
  database: string | Database;
  /** Table holding the sessions (`[A-Za-z_][A-Za-z0-9_]*`, at most 63 characters); default `sessions`. */
  table?: string;
  /** How often expired rows of this namespace are deleted, in ms (default 5 minutes; 0 disables). */
  pruneInterval?: number;
  /**
   * The longest an operation waits for a lock held by another connection before it fails
   * with `UNAVAILABLE`, in ms (default 2000). Waiting never blocks the event loop.
   */
  operationTimeout?: number;
  /**
   * `PRAGMA synchronous` for a file the store opens itself (default `'NORMAL'`). With WAL,
   * `NORMAL` never corrupts the database but may lose the last commits on power loss;
   * `'FULL'` syncs every commit. Ignored for a `Database` you pass in (it keeps your settings).
   */
  synchronous?: SqliteSynchronous;
}

/** The SQLite-specific options after defaults and validation. */
export interface ResolvedSqliteOptions {
  table: string;
  pruneInterval: number;
  operationTimeout: number;
  synchronous: SqliteSynchronous;
}

/**
 * Apply defaults to the SQLite-specific options and validate them; throws `TypeError` on a
 * misconfiguration (a bad table name, a negative interval...).
 */
export function resolveSqliteOptions(options: SqliteStoreOptions<unknown>): ResolvedSqliteOptions {
  const table = options.table ?? DEFAULT_TABLE;
  if (typeof table !== 'string' || !TABLE_PATTERN.test(table) || /^sqlite_/i.test(table)) {
    throw new TypeError(
      `[${SOURCE}] table must match ${TABLE_PATTERN} and not start with "sqlite_", got ${JSON.stringify(table)}`,
    );
  }
  const synchronous = options.synchronous ?? 'NORMAL';
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new TypeError(`[${SOURCE}] synchronous must be 'NORMAL' or 'FULL'`);
  }
  return {
    table,
    pruneInterval: nonNegativeInteger(
      options.pruneInterval ?? DEFAULT_PRUNE_INTERVAL_MS,
      'pruneInterval',
    ),
    operationTimeout: positiveInteger(
      options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT_MS,
      'operationTimeout',
    ),
    synchronous,
  };
}

// Node's timers hold at most 2^31 - 1 ms; a larger interval would silently fire every 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

function nonNegativeInteger(value: unknown, name: string): number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 0 ||
    value > MAX_TIMER_MS
  ) {
    throw new TypeError(
      `[${SOURCE}] ${name} must be an integer of milliseconds from 0 to ${MAX_TIMER_MS}`,
    );
  }
  return value;
}

function positiveInteger(value: unknown, name: string): number {
  if (nonNegativeInteger(value, name) === 0) {
    throw new TypeError(`[${SOURCE}] ${name} must be a positive integer of milliseconds`);
  }
  return value as number;
}
