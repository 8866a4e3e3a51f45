// SqliteStore against raw better-sqlite3: the same SQL (sessionSql), prepared once, on the same
// database with the same pragmas, encoding with the same codec. What is left is the store's own
// work: validation, lock handling, the file check on writes, building the record.
// Two rows: a WAL file (what applications run; commits and checkpoint fsyncs add noise), and
// :memory: (no disk at all: the store's CPU overhead alone).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import Database from 'better-sqlite3';
import { SqliteStore, sessionSql } from '../src/index.js';
import { runInterleaved } from './interleaved.js';

const NAMESPACE = 'bench';

/** The raw baseline: the store's statements, run directly on `db`. */
function rawTarget(db: Database.Database): BenchTarget {
  const sql = sessionSql('sessions');
  const get = db.prepare<[string, string, number], { data: string }>(sql.get);
  // RETURNING statements run to completion (all), as the store runs them.
  const upsert = db.prepare(sql.upsert).pluck();
  const touch = db.prepare(sql.touch);
  const remove = db.prepare(sql.deleteKey).pluck();
  return {
    async get(key) {
      const row = get.get(NAMESPACE, key, Date.now());
      return row === undefined ? undefined : jsonCodec.decode(row.data);
    },
    async set(key, data, expiresAt) {
      return upsert.all(NAMESPACE, key, jsonCodec.encode(data), expiresAt, null, Date.now())[0];
    },
    async touch(key, expiresAt) {
      return touch.run(expiresAt, NAMESPACE, key, Date.now()).changes > 0;
    },
    async delete(key) {
      return remove.all(NAMESPACE, key).length > 0;
    },
  };
}

async function benchFile(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sessions-sqlite-bench-'));
  const file = join(dir, 'sessions.db');
  const store = new SqliteStore({ database: file, namespace: NAMESPACE, pruneInterval: 0 });
  // A second connection with the pragmas the store sets on a file it opens (src/connection.ts).
  const db = new Database(file, { timeout: 5 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('journal_size_limit = 8388608');
  try {
    const title = 'sqlite (file, WAL, NORMAL)';
    await runStoreBench({ title, subject: storeTarget(store), raw: rawTarget(db) });
    await runInterleaved(title, storeTarget(store), rawTarget(db));
  } finally {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchMemory(): Promise<void> {
  const db = new Database(':memory:');
  const store = new SqliteStore({ database: db, namespace: NAMESPACE, pruneInterval: 0 });
  try {
    const title = 'sqlite (:memory:)';
    await runStoreBench({ title, subject: storeTarget(store), raw: rawTarget(db) });
    await runInterleaved(title, storeTarget(store), rawTarget(db));
  } finally {
    await store.close();
    db.close();
  }
}

await benchFile();
await benchMemory();
