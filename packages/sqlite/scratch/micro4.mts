import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { jsonCodec } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { SqliteStore, sessionSql } from '../src/index.js';
const file = '/tmp/sq/micro4.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
const store = new SqliteStore({ database: file, namespace: 'bench', pruneInterval: 0 });
const db = new Database(file, { timeout: 5 });
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); if (process.env.LIMIT) db.pragma('journal_size_limit = 8388608');
const sql = sessionSql('sessions');
const up = db.prepare(sql.upsert).pluck();
const get = db.prepare<[string, string, number], { data: string }>(sql.get);
const payload = makePayload(1024);
const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
for (const k of keys) await store.set(k, { data: payload, expiresAt: Date.now() + 3600e3 });
const ops = {
  set: [(k: string) => store.set(k, { data: payload, expiresAt: Date.now() + 3600e3 }), async (k: string) => up.all('bench', k, jsonCodec.encode(payload), Date.now() + 3600e3, null, Date.now())[0]],
  get: [(k: string) => store.get(k), async (k: string) => { const r = get.get('bench', k, Date.now()); return r && jsonCodec.decode(r.data); }],
} as const;
for (const [name, [s, r]] of Object.entries(ops)) {
  const ts: number[] = [], tr: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const k = keys[i % 1000]!;
    let t: bigint;
    if (process.env.SWAP) {
      t = process.hrtime.bigint(); await r(k); tr.push(Number(process.hrtime.bigint() - t));
      t = process.hrtime.bigint(); await s(k); ts.push(Number(process.hrtime.bigint() - t));
    } else {
      t = process.hrtime.bigint(); await s(k); ts.push(Number(process.hrtime.bigint() - t));
      t = process.hrtime.bigint(); await r(k); tr.push(Number(process.hrtime.bigint() - t));
    }
  }
  const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(a.length * p)]! / 1000;
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length / 1000;
  console.log(`${name}: store p50 ${q(ts, 0.5).toFixed(2)} mean ${mean(ts).toFixed(2)} | raw p50 ${q(tr, 0.5).toFixed(2)} mean ${mean(tr).toFixed(2)} | ratio p50 ${(q(tr, 0.5) / q(ts, 0.5)).toFixed(2)} mean ${(mean(tr) / mean(ts)).toFixed(2)}`);
}
await store.close();
