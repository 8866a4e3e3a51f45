/** Temporary database files for tests: a fresh directory per call, removed by `cleanup()`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory holding `sessions.db` (not created yet). */
export interface TempDatabase {
  dir: string;
  /** The database path inside `dir`. */
  file: string;
  /** Remove the directory and everything in it. */
  cleanup(): void;
}

/** Make a fresh temporary directory for a database file. */
export function tempDatabase(prefix = 'sessions-sqlite-'): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: join(dir, 'sessions.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
