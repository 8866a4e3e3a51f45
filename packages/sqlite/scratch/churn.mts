import { statSync, rmSync, existsSync } from 'node:fs';
import { SqliteStore } from '../src/index.js';
const file = '/tmp/sq/churn.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
let now = Date.now();
const store = new SqliteStore({ database: file, clock: () => now, pruneInterval: 0 });
const size = () => statSync(file).size + (existsSync(file + '-wal') ? statSync(file + '-wal').size : 0);
const data = { user: 'x', filler: 'y'.repeat(200) };
for (let i = 0; i < 1000; i++) await store.set(`live${i}`, { data, expiresAt: now + 365 * 86400e3 });
let t = performance.now();
for (let i = 0; i < 100_000; i++) await store.set(`s${i}`, { data, expiresAt: now + 1000 });
console.log('100k sets ms', performance.now() - t, 'size', size());
now += 2000;
t = performance.now();
console.log('pruned', await store.prune(), 'ms', performance.now() - t, 'size', size());
for (let c = 0; c < 5; c++) {
  for (let i = 0; i < 20_000; i++) await store.set(`c${c}-${i}`, { data, expiresAt: now + 1000 });
  const peak = size();
  now += 2000;
  const n = await store.prune();
  console.log('cycle', c, 'peak', peak, 'pruned', n, 'after', size(), statSync(file).size);
}
await store.close();
