/**
 * Keeping the files bounded after a prune: free pages handed back to the file system and the
 * write-ahead log checkpointed. Only for databases the store owns; a connection passed in
 * keeps the maintenance policy of its owner.
 */
import type { Database } from 'better-sqlite3';
import { isLockError } from './lock-gate.js';

// Deleted rows leave free pages that later inserts reuse, so churn alone does not grow the
// file. Returning them only pays off after a spike: when over a quarter of the file is free.
const FREE_FRACTION_WORTH_VACUUM = 0.25;
// Pages released per statement; each step holds the write lock briefly.
const VACUUM_STEP_PAGES = 2000;

/**
 * Best effort, after rows were pruned: release free pages (incremental auto-vacuum) and
 * checkpoint the WAL back to zero bytes. Another connection being busy is not a failure here:
 * the next prune tries again. Any other error is thrown.
 */
export function compactAfterPrune(db: Database): void {
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    let free = db.pragma('freelist_count', { simple: true }) as number;
    const incremental = db.pragma('auto_vacuum', { simple: true }) === 2;
    while (incremental && free > pages * FREE_FRACTION_WORTH_VACUUM) {
      db.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
      const left = db.pragma('freelist_count', { simple: true }) as number;
      if (left >= free) break;
      free = left;
    }
    // TRUNCATE waits (for at most the busy timeout) for readers, then empties the -wal file.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    if (!isLockError(err)) throw err;
  }
}
