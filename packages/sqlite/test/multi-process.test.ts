// Four processes, one file: compare-and-set increments on the same ten sessions. Every
// acknowledged write is in the final counters, and no caller ever saw SQLITE_BUSY (or any
// error other than CONFLICT).
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { type FixtureMessage, forkFixture } from './support/fork.js';
import { tempDatabase } from './support/temp-db.js';

const WORKERS = 4;
const INCREMENTS = 500;
const KEYS = 10;

interface WorkerReport extends FixtureMessage {
  successes: Record<string, number>;
  conflicts: number;
  errors: Array<{ code?: string; name?: string; message: string; cause?: string }>;
}

const temp = tempDatabase();
afterAll(() => temp.cleanup());

describe('several processes on one file', () => {
  test('4 workers x 500 compare-and-set increments: no lost update, no raw SQLITE_BUSY', async () => {
    // The workers race to create the schema too: nothing exists before they start.
    const workers = Array.from({ length: WORKERS }, () =>
      forkFixture('cas-worker.mjs', [temp.file, String(INCREMENTS), String(KEYS)]),
    );
    await Promise.all(workers.map((w) => w.next('ready')));
    for (const w of workers) w.child.send('go');
    const reports = (await Promise.all(workers.map((w) => w.next('done')))) as WorkerReport[];

    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    const store = new SqliteStore<{ n: number }>({ database: temp.file, pruneInterval: 0 });
    try {
      let total = 0;
      for (let i = 0; i < KEYS; i++) {
        const key = `counter-${i}`;
        const acknowledged = reports.reduce((sum, r) => sum + (r.successes[key] ?? 0), 0);
        const stored = await store.get(key);
        expect({ key, n: stored?.data.n ?? 0 }).toEqual({ key, n: acknowledged });
        // One version per write: nothing was written that was not acknowledged either.
        expect(stored?.version ?? 0).toBe(acknowledged);
        total += acknowledged;
      }
      expect(total).toBe(WORKERS * INCREMENTS);
      // The increments really raced: compare-and-set turned some of them away.
      expect(reports.reduce((sum, r) => sum + r.conflicts, 0)).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
