/** The SQLite session store: SQLite's primitives ({@link SqliteDriver}) on the store kit. */
import type { SessionData } from '@sessions/core';
import { PruningDriverStore } from '@sessions/core/kit';
import type { Database } from 'better-sqlite3';
import { openDatabase } from './connection.js';
import {
  DEFAULT_PRUNE_INTERVAL_MS,
  resolveSqliteOptions,
  SOURCE,
  type SqliteStoreOptions,
} from './options.js';
import { SqliteDriver } from './sqlite-driver.js';

// SQLite's own limit on a string or blob (SQLITE_MAX_LENGTH as better-sqlite3 builds it).
const SQLITE_MAX_LENGTH = 1_000_000_000;

/**
 * A `SessionStore` in a SQLite database, through better-sqlite3 (12.x).
 *
 * Safe for several processes on one host sharing a file (WAL mode, compare-and-set in SQL);
 * not for network file systems. Expired rows are deleted by `prune()`, which an unref'd timer
 * runs every `pruneInterval`; `close()` stops it and closes a database the store opened.
 *
 * @example
 * ```ts
 * import { SqliteStore } from '@sessions/sqlite';
 * const store = new SqliteStore({ database: './sessions.db' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 3_600_000 });
 * (await store.get('k1'))?.data; // { cart: [] }
 * await store.close();
 * ```
 */
export class SqliteStore<D = SessionData> extends PruningDriverStore<D, SqliteDriver> {
  /**
   * The connection in use: the one passed as `database`, or the one the store opened (and
   * closes). For inspection and backups (`store.database.backup(path)`); a long transaction
   * on it holds the lock every other process then waits for.
   */
  readonly database: Database;

  /**
   * Open the file (or take the `Database` given) and create or upgrade the schema (at the first
   * operation instead, if another connection holds a lock).
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the
   * database file cannot be opened; the driver's error is the `cause`.
   */
  constructor(options: SqliteStoreOptions<D>) {
    super(options, {
      source: SOURCE,
      payloadLimit: SQLITE_MAX_LENGTH,
      pruneInterval: DEFAULT_PRUNE_INTERVAL_MS,
      // Runs once the shared options are valid: the SQLite ones next, then the file is opened.
      driver: ({ namespace, operationTimeout }) => {
        const settings = { ...resolveSqliteOptions(options ?? {}), operationTimeout };
        return new SqliteDriver(openDatabase(options?.database), namespace, settings);
      },
    });
    this.database = this.driver.db;
  }
}
