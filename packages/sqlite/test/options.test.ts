// Options are validated before the database is touched, and the connection is configured
// (or left alone) as documented.
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { type TempDatabase, tempDatabase } from './support/temp-db.js';

let temp: TempDatabase;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

describe('validation', () => {
  test.each([
    'sessions"; DROP TABLE users; --',
    'sessions table',
    '1sessions',
    'sqlite_master',
    'SQLITE_sessions',
    'a'.repeat(64),
    '',
    'séance',
  ])('refuses table name %j', (table) => {
    expect(() => new SqliteStore({ database: ':memory:', table })).toThrow(TypeError);
  });

  test('accepts a 63-character table name', async () => {
    const store = new SqliteStore({ database: ':memory:', table: `t${'x'.repeat(62)}` });
    await store.set('k', { data: {}, expiresAt: Date.now() + 1000 });
    await store.close();
  });

  test.each([
    [{ pruneInterval: -1 }],
    [{ pruneInterval: 1.5 }],
    [{ pruneInterval: 2 ** 31 }],
    [{ operationTimeout: 0 }],
    [{ operationTimeout: Number.NaN }],
    [{ synchronous: 'OFF' as 'FULL' }],
    [{ maxPayloadBytes: 0 }],
  ])('refuses %j', (options) => {
    expect(() => new SqliteStore({ database: ':memory:', ...options })).toThrow(TypeError);
  });

  test('refuses a missing or unusable database', () => {
    expect(() => new SqliteStore(undefined as never)).toThrow(TypeError);
    expect(() => new SqliteStore({ database: '' })).toThrow(TypeError);
    expect(() => new SqliteStore({ database: 42 as never })).toThrow(TypeError);
    expect(() => new SqliteStore({ database: {} as never })).toThrow(TypeError);
    const closed = new Database(':memory:');
    closed.close();
    expect(() => new SqliteStore({ database: closed })).toThrow(/closed/);
  });

  test('a path that cannot be opened fails the constructor with UNAVAILABLE and its cause', () => {
    expect(() => new SqliteStore({ database: `${temp.dir}/missing/dir/sessions.db` })).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', cause: expect.anything() }),
    );
  });

  test('a file that is not a database fails the constructor with UNAVAILABLE', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(temp.file, 'this is not a database, just a text file of some length'.repeat(100));
    expect(() => new SqliteStore({ database: temp.file })).toThrow(
      expect.objectContaining({
        code: 'UNAVAILABLE',
        cause: expect.objectContaining({ code: 'SQLITE_NOTADB' }),
      }),
    );
  });
});

describe('the connection', () => {
  test('a file the store opens: WAL, synchronous NORMAL, no busy wait, incremental vacuum', async () => {
    const store = new SqliteStore({ database: temp.file });
    const db = store.database;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    // Lock waits happen in timers, never in SQLite's sleeping busy handler.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(0);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    await store.close();
    expect(db.open).toBe(false);
  });

  test('a file the store creates, and its WAL, are readable by their owner only', async () => {
    const store = new SqliteStore({ database: temp.file });
    await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    expect(statSync(temp.file).mode & 0o777).toBe(0o600);
    expect(statSync(`${temp.file}-wal`).mode & 0o777).toBe(0o600);
    await store.close();
  });

  test('an existing file keeps its mode', async () => {
    writeFileSync(temp.file, '');
    chmodSync(temp.file, 0o640);
    const store = new SqliteStore({ database: temp.file });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
    expect(statSync(temp.file).mode & 0o777).toBe(0o640);
    await store.close();
  });

  test("synchronous: 'FULL' syncs every commit", async () => {
    const store = new SqliteStore({ database: temp.file, synchronous: 'FULL' });
    expect(store.database.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  test('a connection passed in keeps its settings and stays open after close()', async () => {
    const db = new Database(temp.file, { timeout: 50 });
    const store = new SqliteStore({ database: db, synchronous: 'FULL' });
    await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    expect(store.database).toBe(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(50);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    db.close();
  });

  test('a connection passed in with a long busy timeout gets a warning, a short one none', async () => {
    const warnings: Array<{ code?: string }> = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const slow = new Database(temp.file); // better-sqlite3's default: 5 s
      await new SqliteStore({ database: slow }).close();
      const quick = new Database(temp.file, { timeout: 5 });
      await new SqliteStore({ database: quick }).close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.code)).toEqual(['SESSIONS_SQLITE_BUSY_TIMEOUT']);
      slow.close();
      quick.close();
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('a connection passed in and closed by its owner fails UNAVAILABLE, not a raw TypeError', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore({ database: db });
    await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    db.close();
    await expect(store.get('k')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      cause: expect.any(TypeError),
    });
    await store.close();
  });

  test('two tables in one file are separate stores', async () => {
    const a = new SqliteStore({ database: temp.file, table: 'app_a' });
    const b = new SqliteStore({ database: temp.file, table: 'app_b' });
    await a.set('k', { data: { from: 'a' }, expiresAt: Date.now() + 60_000 });
    expect(await b.get('k')).toBeUndefined();
    await b.set('k', { data: { from: 'b' }, expiresAt: Date.now() + 60_000 });
    expect((await a.get('k'))?.data).toEqual({ from: 'a' });
    await a.close();
    await b.close();
  });
});
