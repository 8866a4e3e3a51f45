import Database from 'better-sqlite3';
import { jsonCodec } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { SqliteStore, sessionSql } from '../src/index.js';
const db = new Database(':memory:');
const store = new SqliteStore({ database: db, namespace: 'bench', pruneInterval: 0 });
const sql = sessionSql('sessions');
const up = db.prepare(sql.upsert).pluck();
const payload = makePayload(1024);
const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
const s = (k: string) => store.set(k, { data: payload, expiresAt: Date.now() + 3600e3 });
const r = async (k: string) => up.all('bench', k, jsonCodec.encode(payload), Date.now() + 3600e3, null, Date.now())[0];
for (let round = 0; round < 3; round++) {
  const ts: number[] = [], tr: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const k = keys[i % 1000]!;
    let t = process.hrtime.bigint(); await s(k); ts.push(Number(process.hrtime.bigint() - t));
    t = process.hrtime.bigint(); await r(k); tr.push(Number(process.hrtime.bigint() - t));
  }
  const q = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]! / 1000;
  console.log(`memory set: store p50 ${q(ts).toFixed(2)} raw p50 ${q(tr).toFixed(2)} ratio ${(q(tr) / q(ts)).toFixed(2)}`);
}
