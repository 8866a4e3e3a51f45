// SQLite's "outages" through the shared harness (issue 10): another process holding the write
// lock for 3 s, and the database file deleted or replaced under a running store.
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type HeldLock,
  judgeOutage,
  type OutageResult,
  reportOutage,
  runFileLoss,
  runLockContention,
} from '@sessions/outage';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';

const NAME = 'sqlite (file, WAL)';
const BOUND = 2000;
const LOCK_HOLD_MS = 3000;
/** Issue 10: the event loop of the process using the store stays under 100 ms throughout. */
const MAX_STALL_MS = 100;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'sessions-sqlite-outage-'));
const results: OutageResult[] = [];

afterAll(() => {
  reportOutage(results);
  rmSync(dir, { recursive: true, force: true });
});

// Another process (a plain node child, better-sqlite3 resolved from this package) takes
// SQLite's write lock with BEGIN EXCLUSIVE, says so, holds it, commits and says so again.
const HOLDER = `
const Database = require('better-sqlite3');
const [file, holdMs] = process.argv.slice(1);
const db = new Database(file, { timeout: 5000 });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, Number(holdMs));
`;

/** Resolve once a child process holds the lock; `released` resolves when it has let go. */
function holdLockInAnotherProcess(file: string, holdMs: number): Promise<HeldLock> {
  const child = spawn(process.execPath, ['-e', HOLDER, file, String(holdMs)], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const seen = (line: string) =>
    new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`${line}\n`)) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) =>
        reject(new Error(`lock holder exited (${code}) before "${line}":\n${output}`)),
      );
    });
  const released = seen('released');
  // Only `locked` is awaited here; attach a handler now so an early exit is reported once.
  released.catch(() => undefined);
  return seen('locked').then(() => ({ released }));
}

/** Reads through a second store opened on the path afterwards: whatever file is there now. */
function readBackAt(file: string) {
  let checker: SqliteStore | undefined;
  return {
    readBack: async (key: string) => {
      checker ??= new SqliteStore({ database: file, pruneInterval: 0 });
      return (await checker.get(key)) !== undefined;
    },
    close: async () => checker?.close(),
  };
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

describe('sqlite under contention and file loss', () => {
  it('keeps the event loop free while another process holds BEGIN EXCLUSIVE for 3 s', async () => {
    const file = join(dir, 'locked.db');
    const store = new SqliteStore({ database: file, pruneInterval: 0, operationTimeout: BOUND });
    const check = readBackAt(file);
    // "Fails at the bound": a write that gives up early while the lock is held gave up too
    // soon. 250 ms of slack: the store stops one busy timeout before its deadline, and the
    // first retry may start late on a busy machine.
    const atTheBound = { minFailureWaitMs: BOUND - 250 };
    try {
      // A store that blocks the loop stalls it in every run; another process on a busy 2-core
      // machine (a build, a JVM starting) stalls it now and then. So the stall criterion takes
      // the best of up to three runs, while every other criterion must hold in each run.
      let best: OutageResult | undefined;
      for (let run = 0; run < 3 && !(best && best.eventLoopDelayMaxMs < MAX_STALL_MS); run++) {
        const result = await runLockContention({
          name: NAME,
          store,
          boundMs: BOUND,
          holdLock: () => holdLockInAnotherProcess(file, LOCK_HOLD_MS),
          readBack: check.readBack,
        });
        expect(judgeOutage(result, atTheBound)).toEqual([]);
        expect(result.checkedWrites).toBeGreaterThan(0);
        if (!best || result.eventLoopDelayMaxMs < best.eventLoopDelayMaxMs) best = result;
      }
      if (!best) throw new Error('no run of the lock-contention scenario completed');
      results.push(best);
      expect(judgeOutage(best, { ...atTheBound, maxEventLoopDelayMs: MAX_STALL_MS })).toEqual([]);
    } finally {
      await store.close();
      await check.close();
    }
  }, 60_000);

  it('refuses writes once the database file is deleted', async () => {
    const file = join(dir, 'deleted.db');
    const store = new SqliteStore({ database: file, pruneInterval: 0, operationTimeout: BOUND });
    const check = readBackAt(file);
    try {
      const result = await runFileLoss({
        name: NAME,
        store,
        boundMs: BOUND,
        what: 'deleted (with its -wal and -shm)',
        inflict: () => removeDatabase(file),
        readBack: check.readBack,
      });
      results.push(result);
      expect(judgeOutage(result)).toEqual([]);
      expect(result.acknowledgedWrites).toBeGreaterThan(0);
    } finally {
      await store.close();
      await check.close();
    }
  });

  it('refuses writes once the database file is replaced by another database', async () => {
    const file = join(dir, 'replaced.db');
    const other = join(dir, 'other.db');
    await new SqliteStore({ database: other, pruneInterval: 0 }).close();
    const store = new SqliteStore({ database: file, pruneInterval: 0, operationTimeout: BOUND });
    const check = readBackAt(file);
    try {
      const result = await runFileLoss({
        name: NAME,
        store,
        boundMs: BOUND,
        what: 'replaced by another database',
        // As a restore from a backup does: the old WAL files go, another file takes the path.
        inflict: () => {
          rmSync(`${file}-wal`, { force: true });
          rmSync(`${file}-shm`, { force: true });
          renameSync(other, file);
        },
        readBack: check.readBack,
      });
      results.push(result);
      expect(judgeOutage(result)).toEqual([]);
    } finally {
      await store.close();
      await check.close();
    }
  });
});
