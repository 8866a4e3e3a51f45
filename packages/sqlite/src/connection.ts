/**
 * Opening the database: a path the store owns (and configures), or a connection the caller
 * passed in (used as it is).
 */
import { resolve } from 'node:path';
import { UnavailableError } from '@sessions/core';
import { describeError } from '@sessions/core/kit';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SOURCE, type SqliteSynchronous } from './options.js';

/**
 * How long one SQLite call may wait inside SQLite for a lock, in ms: not at all.
 * better-sqlite3 is synchronous, so SQLite's busy handler sleeps on the main thread: its
 * default 5 s busy timeout froze whole processes, and even a 5 ms one measured 20–70 ms on a
 * loaded machine (each of its 1–2 ms sleeps ends when the scheduler gets round to the thread).
 * A lock held by someone else fails the attempt at once, and the wait happens in a timer
 * (see LockGate), with the event loop free.
 */
export const BUSY_TIMEOUT_MS = 0;

// Keep the -wal file small once it has been checkpointed (SQLite truncates it to this size).
const JOURNAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;
// Above this, a busy timeout of a connection passed in is worth a warning: it is how long the
// whole process may freeze whenever another process holds the lock.
const LONG_BUSY_TIMEOUT_MS = 100;

/** An open connection and what the store may do with it. */
export interface OpenedDatabase {
  db: Database;
  /** True when the store opened it: it configures it, maintains it and closes it. */
  owned: boolean;
  /** The absolute path of the database file, or undefined for an in-memory database. */
  file: string | undefined;
  /** How long one attempt may block in SQLite's busy handler, in ms. */
  busyTimeoutMs: number;
}

/** Open `database` (see `SqliteStoreOptions.database`). Throws on a bad argument or path. */
export function openDatabase(database: unknown): OpenedDatabase {
  if (database === ':memory:') {
    return { db: new BetterSqlite3(':memory:'), owned: true, file: undefined, busyTimeoutMs: 0 };
  }
  if (typeof database === 'string' && database !== '') {
    const file = resolve(database);
    try {
      const db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
      return { db, owned: true, file, busyTimeoutMs: BUSY_TIMEOUT_MS };
    } catch (err) {
      // A missing directory is a TypeError in better-sqlite3: still a file that cannot be opened.
      throw new UnavailableError(SOURCE, `opening ${file} failed: ${describeError(err)}`, {
        cause: err,
      });
    }
  }
  if (!isDatabase(database)) {
    throw new TypeError(
      `[${SOURCE}] database must be a file path, ':memory:' or a better-sqlite3 Database`,
    );
  }
  if (!database.open) {
    throw new TypeError(`[${SOURCE}] the Database passed as \`database\` is closed`);
  }
  const file = database.memory || database.name === '' ? undefined : resolve(database.name);
  return { db: database, owned: false, file, busyTimeoutMs: busyTimeoutOf(database, file) };
}

/**
 * Settings of a file the store owns, applied before the schema is created. Even a
 * per-connection pragma reads the schema, which fails with SQLITE_BUSY while another process
 * creates the file or converts it to WAL: so this runs inside the store's first operation
 * (retried by the lock gate), never blocking a constructor.
 * - incremental auto-vacuum lets `prune()` hand free pages back (it only takes effect on a new file);
 * - WAL lets readers run while another connection writes;
 * - `synchronous` as configured (see the README on durability);
 * - a journal size limit, so the -wal file shrinks back after a burst.
 */
export function configureOwnedFile(db: Database, synchronous: SqliteSynchronous): void {
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

/**
 * The busy timeout of a connection passed in (it bounds how long one attempt may block), with
 * a process warning when it is long enough to freeze the event loop noticeably (better-sqlite3
 * defaults to 5 s). `PRAGMA busy_timeout` reads no schema, so it cannot itself hit a lock.
 */
function busyTimeoutOf(db: Database, file: string | undefined): number {
  const ms = Number(db.pragma('busy_timeout', { simple: true }));
  if (file !== undefined && ms > LONG_BUSY_TIMEOUT_MS) {
    process.emitWarning(
      `the Database passed to ${SOURCE} has a busy timeout of ${ms} ms: while another process holds the lock, ` +
        'each operation can freeze the event loop that long. Open it with `{ timeout: 5 }`: the store waits for ' +
        'longer locks asynchronously.',
      { code: 'SESSIONS_SQLITE_BUSY_TIMEOUT' },
    );
  }
  return ms;
}

function isDatabase(value: unknown): value is Database {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Database).prepare === 'function' &&
    typeof (value as Database).transaction === 'function' &&
    typeof (value as Database).open === 'boolean'
  );
}
