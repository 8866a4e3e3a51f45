// Physical removal: prune() deletes only this namespace's expired rows; the interval runs it
// in the background, never keeps the process alive, stops on close(), and reports failures to
// onBackgroundError (by default a process warning), never as unhandled rejections.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { SqliteStore } from '../src/index.js';

const count = (db: Database.Database, namespace: string) =>
  db.prepare('SELECT count(*) FROM sessions WHERE namespace = ?').pluck().get(namespace);

describe('prune', () => {
  test('deletes expired rows of its own namespace only', async () => {
    const db = new Database(':memory:');
    let now = Date.now();
    const mine = new SqliteStore({
      database: db,
      namespace: 'mine',
      clock: () => now,
      pruneInterval: 0,
    });
    const theirs = new SqliteStore({
      database: db,
      namespace: 'theirs',
      clock: () => now,
      pruneInterval: 0,
    });
    for (let i = 0; i < 2500; i++) {
      await mine.set(`k${i}`, { data: {}, expiresAt: now + (i < 2100 ? 1000 : 60_000) });
      await theirs.set(`k${i}`, { data: {}, expiresAt: now + 1000 });
    }
    now += 1000; // expiresAt == now: expired
    expect(await mine.prune()).toBe(2100);
    expect(count(db, 'mine')).toBe(400);
    expect(count(db, 'theirs')).toBe(2500);
    expect(await mine.prune()).toBe(0);
    await mine.close();
    await theirs.close();
    db.close();
  });

  test('the interval prunes in the background and stops on close()', async () => {
    const db = new Database(':memory:');
    let now = Date.now();
    const store = new SqliteStore({ database: db, clock: () => now, pruneInterval: 20 });
    await store.set('gone', { data: {}, expiresAt: now + 1000 });
    await store.set('kept', { data: {}, expiresAt: now + 60_000 });
    now += 2000;
    await expect.poll(() => count(db, 'sessions'), { timeout: 2000 }).toBe(1);
    await store.close();
    db.prepare("INSERT INTO sessions VALUES ('sessions', 'late', '{}', 0, NULL, 1)").run();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(count(db, 'sessions')).toBe(2);
    db.close();
  });

  test('a failing background prune reaches onBackgroundError, classified, with its cause', async () => {
    const db = new Database(':memory:');
    let report: (error: Error) => void = () => {};
    const reported = new Promise<Error>((resolve) => {
      report = resolve;
    });
    const store = new SqliteStore({ database: db, pruneInterval: 20, onBackgroundError: report });
    db.exec('DROP TABLE sessions');
    const error = await reported;
    expect(error).toMatchObject({ code: 'UNAVAILABLE', source: '@sessions/sqlite' });
    expect(error.message).toMatch(/prune/);
    expect(error.cause).toMatchObject({ code: 'SQLITE_ERROR' });
    await store.close();
    db.close();
  });

  test('by default, a failing background prune becomes a process warning, not an unhandled rejection', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore({ database: db, pruneInterval: 20 });
    const warning = new Promise<Error>((resolve) => process.once('warning', resolve));
    db.exec('DROP TABLE sessions');
    const reported = await warning;
    expect(reported).toMatchObject({ code: 'SESSIONS_BACKGROUND_ERROR' });
    expect(reported.message).toMatch(/@sessions\/sqlite.*prune failed/);
    await store.close();
    db.close();
  });

  test('the interval never keeps a process alive', () => {
    // A plain Node process using the built package, never calling close(): it must exit.
    const script =
      "import { SqliteStore } from '@sessions/sqlite'; new SqliteStore({ database: ':memory:' });";
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd,
      timeout: 10_000,
    });
    expect({ status: result.status, signal: result.signal, stderr: String(result.stderr) }).toEqual(
      {
        status: 0,
        signal: null,
        stderr: '',
      },
    );
  });
});
