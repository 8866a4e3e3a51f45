// Storage stays bounded under churn: 100,000 sessions that expire are pruned back to the live
// count, the -wal file never runs away, and repeated churn cycles stop growing the files.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tempDatabase } from './support/temp-db.js';

const LIVE = 1000;
const EXPIRING = 100_000;
const CYCLES = 4;
const PER_CYCLE = 20_000;
// SQLite checkpoints the WAL every 1000 pages (4 MiB); a runaway log is hundreds of MiB.
const MAX_WAL_BYTES = 16 * 1024 * 1024;

const temp = tempDatabase();
afterAll(() => temp.cleanup());

function bytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
const walBytes = () => bytes(`${temp.file}-wal`);
const totalBytes = () => bytes(temp.file) + walBytes();

function rowCount(): number {
  const db = new Database(temp.file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('bounded storage', () => {
  test('prune returns to the live count and churn cycles stop growing the files', async () => {
    let now = Date.now();
    const store = new SqliteStore({ database: temp.file, clock: () => now, pruneInterval: 0 });
    const data = {
      user: 'u-1',
      csrf: 'f3a9c1d2e4b5a6978877665544332211',
      cart: [{ sku: 'A-1', qty: 2 }],
    };
    try {
      for (let i = 0; i < LIVE; i++) {
        await store.set(`live-${i}`, {
          data,
          expiresAt: now + 365 * 86_400_000,
          userId: `u${i % 10}`,
        });
      }
      let largestWal = 0;
      for (let i = 0; i < EXPIRING; i++) {
        await store.set(`gone-${i}`, { data, expiresAt: now + 1000, userId: `u${i % 10}` });
        if (i % 5000 === 0) largestWal = Math.max(largestWal, walBytes());
      }
      expect(rowCount()).toBe(LIVE + EXPIRING);
      expect(largestWal).toBeLessThan(MAX_WAL_BYTES);

      now += 2000;
      expect(await store.prune()).toBe(EXPIRING);
      expect(rowCount()).toBe(LIVE);
      // The spike's free pages went back to the file system, and the log was emptied.
      expect(walBytes()).toBe(0);
      const afterSpike = totalBytes();

      const peaks: number[] = [];
      const afterPrunes: number[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        for (let i = 0; i < PER_CYCLE; i++) {
          await store.set(`churn-${cycle}-${i}`, { data, expiresAt: now + 1000 });
        }
        peaks.push(totalBytes());
        now += 2000;
        expect(await store.prune()).toBe(PER_CYCLE);
        expect(rowCount()).toBe(LIVE);
        afterPrunes.push(totalBytes());
      }
      // Free pages are reused: after the first cycle the peak does not move (one page of slack
      // per index for a different split point), and every prune returns to the same size.
      const [firstPeak = 0, ...laterPeaks] = peaks;
      for (const peak of laterPeaks) expect(peak).toBeLessThanOrEqual(firstPeak + 4 * 4096);
      for (const size of afterPrunes) expect(size).toBeLessThanOrEqual(afterSpike + 4 * 4096);
      // The live sessions were never touched by any of it.
      expect((await store.get('live-0'))?.data).toEqual(data);
      expect(await store.listByUser('u3')).toHaveLength(LIVE / 10);
    } finally {
      await store.close();
    }
  }, 180_000);
});
