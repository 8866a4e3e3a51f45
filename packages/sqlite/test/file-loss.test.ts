// The database file deleted or replaced under a running store. SQLite in WAL mode keeps
// committing into the inode it opened, which nobody can ever open again: the store must
// refuse those writes (UNAVAILABLE, saying what happened), never acknowledge them.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isSessionError } from '@sessions/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { type TempDatabase, tempDatabase } from './support/temp-db.js';

const record = (n: number) => ({ data: { n }, expiresAt: Date.now() + 60_000 });

let temp: TempDatabase;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

/** Settle every promise; count what was acknowledged, collect what was thrown. */
async function settle(promises: Array<Promise<unknown>>) {
  const outcomes = await Promise.allSettled(promises);
  return {
    acknowledged: outcomes.filter((o) => o.status === 'fulfilled').length,
    errors: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : [])),
  };
}

function expectLost(error: unknown, how: 'deleted' | 'replaced'): void {
  expect(isSessionError(error, 'UNAVAILABLE'), String(error)).toBe(true);
  expect((error as Error).message).toContain(`was ${how}`);
  expect((error as Error).cause).toBeDefined();
}

/** Whether `key` is in whatever database file is at `file` now. */
async function presentAt(file: string, key: string): Promise<boolean> {
  const store = new SqliteStore({ database: file, pruneInterval: 0 });
  try {
    return (await store.get(key)) !== undefined;
  } finally {
    await store.close();
  }
}

describe('database file deleted under a running store', () => {
  test.each([
    ['the database file alone', ['']],
    ['the database file with its -wal and -shm', ['', '-wal', '-shm']],
  ])('%s: a burst of 250 writes is refused, none acknowledged', async (_what, suffixes) => {
    const store = new SqliteStore({ database: temp.file, pruneInterval: 0 });
    try {
      await store.set('before', record(0));
      for (const suffix of suffixes) rmSync(`${temp.file}${suffix}`, { force: true });
      const burst = await settle(
        Array.from({ length: 250 }, (_, i) => store.set(`k${i}`, record(i))),
      );
      expect(burst.acknowledged).toBe(0);
      for (const error of burst.errors) expectLost(error, 'deleted');
      // Every operation is refused from then on, reads included: the connection sees a ghost.
      const rest = await settle([
        store.get('before'),
        store.touch('before', Date.now() + 120_000),
        store.delete('before'),
        store.listByUser('u1'),
        store.deleteByUser('u1'),
        store.clear(),
        store.prune(),
      ]);
      expect(rest.acknowledged).toBe(0);
      for (const error of rest.errors) expectLost(error, 'deleted');
    } finally {
      await store.close();
    }
    expect(await presentAt(temp.file, 'k0')).toBe(false);
  });

  test('reads alone notice within about a second', async () => {
    const store = new SqliteStore({ database: temp.file, pruneInterval: 0 });
    try {
      await store.set('k', record(1));
      rmSync(temp.file);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await expect(store.get('k')).rejects.toSatisfy((error) => {
        expectLost(error, 'deleted');
        return true;
      });
    } finally {
      await store.close();
    }
  });

  test('a connection passed in is watched too', async () => {
    const db = new Database(temp.file, { timeout: 5 });
    db.pragma('journal_mode = WAL');
    const store = new SqliteStore({ database: db, pruneInterval: 0 });
    try {
      await store.set('k', record(1));
      rmSync(temp.file);
      const outcome = await settle([store.set('k2', record(2))]);
      expect(outcome.acknowledged).toBe(0);
      expectLost(outcome.errors[0], 'deleted');
    } finally {
      await store.close();
      db.close();
    }
  });
});

describe('database file replaced under a running store', () => {
  test('writes are refused and land nowhere a reader could see', async () => {
    const other = join(temp.dir, 'restored-backup.db');
    const backup = new SqliteStore({ database: other, pruneInterval: 0 });
    await backup.set('from-backup', record(9));
    await backup.close();
    const store = new SqliteStore({ database: temp.file, pruneInterval: 0 });
    try {
      await store.set('before', record(0));
      // As a restore does: the old WAL files go, the backup takes the path.
      rmSync(`${temp.file}-wal`, { force: true });
      rmSync(`${temp.file}-shm`, { force: true });
      renameSync(other, temp.file);
      const burst = await settle(
        Array.from({ length: 50 }, (_, i) => store.set(`k${i}`, record(i))),
      );
      expect(burst.acknowledged).toBe(0);
      for (const error of burst.errors) expectLost(error, 'replaced');
    } finally {
      await store.close();
    }
    expect(await presentAt(temp.file, 'from-backup')).toBe(true);
    expect(await presentAt(temp.file, 'k0')).toBe(false);
  });
});
