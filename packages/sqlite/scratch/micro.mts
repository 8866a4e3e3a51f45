import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { jsonCodec } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { SqliteStore, sessionSql } from '../src/index.js';
const file = '/tmp/sq/micro.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
const store = new SqliteStore({ database: file, namespace: 'bench', pruneInterval: 0 });
const db = new Database(file, { timeout: 5 });
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
const sql = sessionSql('sessions');
const get = db.prepare<[string, string, number], { data: string }>(sql.get);
const upsert = db.prepare(sql.upsert).pluck();
const payload = makePayload(1024);
for (let i = 0; i < 1000; i++) await store.set(`k${i}`, { data: payload, expiresAt: Date.now() + 3600e3 });
const rawGet = async (k: string) => { const r = get.get('bench', k, Date.now()); return r && jsonCodec.decode(r.data); };
const rawSet = async (k: string) => upsert.all('bench', k, jsonCodec.encode(payload), Date.now() + 3600e3, null, Date.now())[0];
async function run(name: string, n: number, f: (k: string) => Promise<unknown>) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await f(`k${i % 1000}`);
  return ((performance.now() - t) * 1000) / n;
}
for (let round = 0; round < 3; round++) {
  const a = await run('store get', 50000, (k) => store.get(k));
  const b = await run('raw get', 50000, rawGet);
  const c = await run('store set', 5000, (k) => store.set(k, { data: payload, expiresAt: Date.now() + 3600e3 }));
  const d = await run('raw set', 5000, rawSet);
  console.log(`get store ${a.toFixed(2)}us raw ${b.toFixed(2)}us ratio ${(b / a).toFixed(2)} | set store ${c.toFixed(2)} raw ${d.toFixed(2)} ratio ${(d / c).toFixed(2)}`);
}
await store.close();
