/**
 * The connection: opened from a path (then the store's: configured, kept small and closed by
 * it), or a `Database` passed in, used as it is.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeError } from '@sessions/core/kit';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { isLockError } from './lock-gate.js';
import { SOURCE, type SqliteSynchronous, unavailable } from './options.js';

// How long one call may wait inside SQLite for a lock: not at all. better-sqlite3 is
// synchronous, so SQLite's busy handler sleeps on the main thread (even a 5 ms busy timeout
// measured 20–70 ms on a loaded machine). A locked attempt fails at once; LockGate waits.
const BUSY_TIMEOUT_MS = 0;
// Above this, a passed-in connection's busy timeout can freeze the process noticeably: warn.
const LONG_BUSY_TIMEOUT_MS = 100;
// The size SQLite truncates the -wal file to once it has been checkpointed.
const JOURNAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;
// Free pages are reused by later inserts, so churn alone does not grow the file: handing them
// back only pays off after a spike, when over a quarter of the file is free.
const FREE_FRACTION_WORTH_VACUUM = 0.25;
const VACUUM_STEP_PAGES = 1000;

/**
 * An open connection; `owned` when the store opened it, `file` its absolute path (undefined in
 * memory), `busyTimeoutMs` how long one attempt may block in SQLite's busy handler.
 */
export interface OpenedDatabase {
  db: Database;
  owned: boolean;
  file: string | undefined;
  busyTimeoutMs: number;
}

/**
 * Create `file` readable by its owner only (0600), if it does not exist yet: sessions are
 * bearer state, and SQLite would create it with the process umask (0644, world-readable, by
 * default). SQLite gives the -wal and -shm files the main file's mode. An existing file is
 * left as it is (its mode is the admin's choice; `sessions doctor` reports a readable one).
 */
function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Open `database` (see `SqliteStoreOptions.database`). Throws on a bad argument or path. */
export function openDatabase(database: unknown): OpenedDatabase {
  if (database === ':memory:') {
    return { db: new BetterSqlite3(':memory:'), owned: true, file: undefined, busyTimeoutMs: 0 };
  }
  if (typeof database === 'string' && database !== '') {
    const file = resolve(database);
    try {
      createPrivately(file);
      const db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
      return { db, owned: true, file, busyTimeoutMs: BUSY_TIMEOUT_MS };
    } catch (err) {
      // A missing directory is a TypeError in better-sqlite3: still a file that cannot be opened.
      throw unavailable(`opening ${file} failed: ${describeError(err)}`, err);
    }
  }
  const db = database as Database | null;
  if (
    typeof db?.prepare !== 'function' ||
    typeof db.transaction !== 'function' ||
    typeof db.open !== 'boolean'
  ) {
    throw new TypeError(
      `[${SOURCE}] database must be a file path, ':memory:' or a better-sqlite3 Database`,
    );
  }
  if (!db.open) throw new TypeError(`[${SOURCE}] the Database passed as \`database\` is closed`);
  const file = db.memory || db.name === '' ? undefined : resolve(db.name);
  // `PRAGMA busy_timeout` reads no schema, so it cannot itself hit a lock.
  const busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
  if (file !== undefined && busyTimeoutMs > LONG_BUSY_TIMEOUT_MS) {
    process.emitWarning(
      `the Database passed to ${SOURCE} has a busy timeout of ${busyTimeoutMs} ms: while another process holds the lock, ` +
        'each operation can freeze the event loop that long. Open it with `{ timeout: 5 }`: the store waits for ' +
        'longer locks asynchronously.',
      { code: 'SESSIONS_SQLITE_BUSY_TIMEOUT' },
    );
  }
  return { db, owned: false, file, busyTimeoutMs };
}

/**
 * The settings of a file the store owns (README, "Layout in the backend"). Even these pragmas
 * read the schema, SQLITE_BUSY while another process creates the file or converts it to WAL:
 * so they run in the first operation (the lock gate retries it), never blocking a constructor.
 */
export function configureOwnedFile(db: Database, synchronous: SqliteSynchronous): void {
  db.pragma('auto_vacuum = INCREMENTAL'); // takes effect on a new file only
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

/**
 * One step of handing an owned file's space back after a prune: up to 1000 free pages released
 * while over a quarter of the file is free (true: do another step); then the WAL checkpointed
 * and truncated to zero bytes, which SQLite never does by itself. Best effort: a lock held
 * elsewhere ends a step quietly (the next prune tries again); other errors are thrown.
 */
export function shrinkStep(db: Database): boolean {
  const free = () => db.pragma('freelist_count', { simple: true }) as number;
  const vacuumed = unlessLocked(() => {
    if (db.pragma('auto_vacuum', { simple: true }) !== 2) return false;
    const before = free();
    const pages = db.pragma('page_count', { simple: true }) as number;
    if (before <= pages * FREE_FRACTION_WORTH_VACUUM) return false;
    db.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
    return free() < before;
  });
  if (vacuumed) return true;
  unlessLocked(() => db.pragma('wal_checkpoint(TRUNCATE)'));
  return false;
}

function unlessLocked<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (err) {
    if (!isLockError(err)) throw err;
  }
}
