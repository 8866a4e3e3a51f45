/**
 * Keeping the files bounded after a prune: free pages handed back to the file system and the
 * write-ahead log checkpointed. Only for databases the store owns; a connection passed in
 * keeps the maintenance policy of its owner.
 *
 * Both steps are best effort: another connection holding a lock is not a failure here (the
 * next prune tries again), so lock errors end the step quietly. Any other error is thrown.
 */
import type { Database } from 'better-sqlite3';
import { isLockError } from './lock-gate.js';

// Deleted rows leave free pages that later inserts reuse, so churn alone does not grow the
// file. Returning them only pays off after a spike: when over a quarter of the file is free.
const FREE_FRACTION_WORTH_VACUUM = 0.25;
// Pages released per call; each call is one short write transaction (a few ms).
const VACUUM_STEP_PAGES = 1000;

/**
 * Release up to 1000 free pages if more than a quarter of the file is free (incremental
 * auto-vacuum, set when the store created the file). True when another step is worth it.
 */
export function vacuumStep(db: Database): boolean {
  try {
    if (db.pragma('auto_vacuum', { simple: true }) !== 2) return false;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    if (free <= pages * FREE_FRACTION_WORTH_VACUUM) return false;
    db.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
    return (db.pragma('freelist_count', { simple: true }) as number) < free;
  } catch (err) {
    if (isLockError(err)) return false;
    throw err;
  }
}

/**
 * Copy the WAL into the database and truncate the -wal file to zero bytes. SQLite checkpoints
 * on its own every 1000 pages but never shrinks the file below `journal_size_limit`; after a
 * prune the log is mostly deleted rows, so emptying it is cheap and keeps the pair small.
 */
export function checkpoint(db: Database): void {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    if (!isLockError(err)) throw err;
  }
}
