import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { jsonCodec } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { SqliteStore, sessionSql } from '../src/index.js';
const file = '/tmp/sq/micro2.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
const store = new SqliteStore({ database: file, namespace: 'bench', pruneInterval: 0 });
const db = new Database(file, { timeout: 5 });
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
const sql = sessionSql('sessions');
const get = db.prepare<[string, string, number], { data: string }>(sql.get);
const payload = makePayload(1024);
for (let i = 0; i < 1000; i++) await store.set(`k${i}`, { data: payload, expiresAt: Date.now() + 3600e3 });
const up = db.prepare(sql.upsert).pluck(); const rawGet = async (k: string) => up.all('bench', k, jsonCodec.encode(payload), Date.now() + 3600e3, null, Date.now())[0];
const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
async function batch(f: (k: string) => Promise<unknown>, inFlight: number, reps: number) {
  const t = process.cpuUsage();
  let c = 0;
  for (let r = 0; r < reps; r++) {
    const ps = [];
    for (let j = 0; j < inFlight; j++) ps.push(f(keys[c++ % 1000]!));
    await Promise.all(ps);
  }
  const u = process.cpuUsage(t);
  return (u.user + u.system) / (reps * inFlight);
}
const inFlight = Number(process.argv[2] ?? 64);
const s: number[] = [], r: number[] = [];
for (let round = 0; round < 20; round++) {
  s.push(await batch((k) => store.set(k, { data: payload, expiresAt: Date.now() + 3600e3 }), inFlight, 20));
  r.push(await batch(rawGet, inFlight, 20));
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const min = (a: number[]) => Math.min(...a);
console.log(`inFlight ${inFlight}: store med ${med(s).toFixed(2)} min ${min(s).toFixed(2)} | raw med ${med(r).toFixed(2)} min ${min(r).toFixed(2)} | ratio med ${(med(r) / med(s)).toFixed(2)} min ${(min(r) / min(s)).toFixed(2)}`);
await store.close();
