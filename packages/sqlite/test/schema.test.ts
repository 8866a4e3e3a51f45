// The schema is created on first use, recorded with its version in <table>_meta, reused by
// every later store, and never silently mixed with a table the store did not create.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTableSql, SCHEMA_VERSION, SqliteStore } from '../src/index.js';
import { forkFixture } from './support/fork.js';
import { type TempDatabase, tempDatabase } from './support/temp-db.js';

let temp: TempDatabase;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

const inspect = <T>(fn: (db: Database.Database) => T): T => {
  const db = new Database(temp.file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
};

describe('schema', () => {
  test('created with its version, its indexes and the documented layout', async () => {
    await new SqliteStore({ database: temp.file, table: 'app_sessions' }).close();
    const schema = inspect((db) =>
      db
        .prepare(
          "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'app_sessions%' AND sql IS NOT NULL",
        )
        .all(),
    ) as Array<{ name: string; sql: string }>;
    const ddl = schema.filter((s) => s.name !== 'app_sessions_meta').map((s) => `${s.sql};`);
    expect(ddl.join('\n')).toBe(createTableSql('app_sessions'));
    const version = inspect((db) =>
      db.prepare("SELECT value FROM app_sessions_meta WHERE name = 'schema_version'").pluck().get(),
    );
    expect(version).toBe(SCHEMA_VERSION);
    // The file's own user_version is left to the application.
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(0);
  });

  test('reused by later stores: sessions survive a reopen', async () => {
    const first = new SqliteStore({ database: temp.file });
    await first.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    await first.close();
    const second = new SqliteStore({ database: temp.file });
    expect((await second.get('k'))?.data).toEqual({ n: 1 });
    await second.close();
  });

  test('a table of the same name that the store did not create is refused, untouched', () => {
    const db = new Database(temp.file);
    db.exec('CREATE TABLE sessions (sid TEXT PRIMARY KEY, sess TEXT, expire INTEGER)');
    db.close();
    expect(() => new SqliteStore({ database: temp.file })).toThrow(
      expect.objectContaining({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/not created by/),
      }),
    );
    const columns = inspect((db) =>
      db.prepare("SELECT name FROM pragma_table_info('sessions')").pluck().all(),
    );
    expect(columns).toEqual(['sid', 'sess', 'expire']);
  });

  test('a schema newer than this release is refused', async () => {
    await new SqliteStore({ database: temp.file }).close();
    const db = new Database(temp.file);
    db.prepare("UPDATE sessions_meta SET value = ? WHERE name = 'schema_version'").run(
      SCHEMA_VERSION + 1,
    );
    db.close();
    expect(() => new SqliteStore({ database: temp.file })).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringMatching(/newer/) }),
    );
  });

  test('created by the first operation when the file was locked at construction', async () => {
    // Another process creates the file and holds its lock: the constructor neither blocks nor
    // throws; the first operation waits (asynchronously) and sets everything up.
    const holder = forkFixture('lock-holder.mjs', [temp.file, '1500']);
    await holder.next('locked');
    const started = performance.now();
    const store = new SqliteStore({ database: temp.file, operationTimeout: 5000 });
    expect(performance.now() - started).toBeLessThan(200);
    try {
      await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
      expect((await store.get('k'))?.data).toEqual({ n: 1 });
      expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      await store.close();
      await holder.next('released');
    }
  }, 20_000);
});
