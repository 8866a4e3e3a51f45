/**
 * SQLite: the file exists and holds the store's table, WAL mode (cross-process safety), no
 * world access to the file or its -wal/-shm companions (they hold session data too), free disk,
 * and a round trip through `SqliteStore`. Same machine as the app: no clock to compare.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load } from '../load.js';
import type { CheckResult } from '../types.js';
import { describeError, fail, pass, warn } from './result.js';
import { roundTripThrough } from './round-trip.js';
import type { StoreCheckContext } from './store-context.js';

/** Free space below which the disk is a failure: SQLite cannot grow the file or its WAL. */
export const FREE_DISK_FAIL_BYTES = 64 * 1024 * 1024;
/** Free space below which it is worth a warning. */
export const FREE_DISK_WARN_BYTES = 1024 * 1024 * 1024;

/** The file and the companions SQLite writes next to it in WAL mode. */
function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path));
}

/** No file of the database may be readable or writable by every user of the machine. */
export function checkPermissions(file: string): CheckResult {
  const id = 'sqlite.permissions';
  const open = databaseFiles(file).flatMap((path) => {
    const mode = statSync(path).mode & 0o777;
    return mode & 0o006 ? [`${path} (${mode.toString(8)})`] : [];
  });
  if (open.length > 0) {
    return fail(
      id,
      `every user of this machine can read session data: ${open.join(', ')}`,
      `chmod 600 ${file}* (and run the app with umask 077)`,
    );
  }
  return pass(id, 'the database files are not readable by other users');
}

/** Free space on the file's filesystem, against the thresholds given. */
export function checkFreeDisk(
  file: string,
  thresholds = { failBelow: FREE_DISK_FAIL_BYTES, warnBelow: FREE_DISK_WARN_BYTES },
): CheckResult {
  const id = 'sqlite.free-disk';
  const stats = statfsSync(dirname(file));
  const free = stats.bavail * stats.bsize;
  const shown = `${(free / 1024 / 1024).toFixed(0)} MiB free on the database's filesystem`;
  const fix = 'free space or move the database: a full disk makes every session write fail';
  if (free < thresholds.failBelow) return fail(id, shown, fix);
  if (free < thresholds.warnBelow) return warn(id, shown, fix);
  return pass(id, shown);
}

/** Every SQLite check of `file`. */
export async function sqliteChecks(
  path: string,
  table: string | undefined,
  context: StoreCheckContext,
): Promise<CheckResult[]> {
  const file = resolve(path);
  if (!existsSync(file)) {
    return [
      fail(
        'sqlite.file',
        `${file} does not exist`,
        "point the doctor at the file the app's SqliteStore opens (relative to where it runs)",
      ),
    ];
  }
  const { default: Database } = await load('better-sqlite3', () => import('better-sqlite3'));
  const { SqliteStore, DEFAULT_TABLE } = await load(
    '@sessions/sqlite',
    () => import('@sessions/sqlite'),
  );
  const results = [checkPermissions(file), checkFreeDisk(file)];
  let db: InstanceType<typeof Database>;
  try {
    // A short busy timeout, as SqliteStore asks of a Database it is given: it waits itself.
    db = new Database(file, { fileMustExist: true, timeout: 5 });
  } catch (error) {
    return [...results, context.unreachable(describeError(error))];
  }
  try {
    const mode = String(db.pragma('journal_mode', { simple: true }));
    results.push(
      mode === 'wal'
        ? pass('sqlite.wal', 'journal_mode is WAL: readers never block the writer')
        : fail(
            'sqlite.wal',
            `journal_mode is ${mode}: processes sharing the file block each other (SQLITE_BUSY under load)`,
            `sqlite3 ${file} 'PRAGMA journal_mode=WAL' (SqliteStore sets it on files it opens)`,
          ),
    );
    const name = table ?? DEFAULT_TABLE;
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    if (exists.get(name) === undefined) {
      results.push(
        fail(
          'sqlite.table',
          `${file} has no table "${name}"`,
          'check the file and the `table` option: SqliteStore creates the table on first use',
        ),
      );
      return results;
    }
    results.push(pass('sqlite.table', `the table "${name}" exists`));
    // The store on our connection: it keeps the file's settings and never closes it.
    results.push(
      await roundTripThrough(
        new SqliteStore({ database: db, table: name, ...context.storeOptions }),
        context.clock,
      ),
    );
    return results;
  } finally {
    db.close();
  }
}
