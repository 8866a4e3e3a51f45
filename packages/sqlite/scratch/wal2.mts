import { statSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createTableSql, sessionSql } from '../src/index.js';
const file = '/tmp/sq/wal2.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(createTableSql('sessions'));
const sql = sessionSql('sessions');
const mode = process.argv[2];
const up = db.prepare(sql.upsert).pluck();
const now = Date.now();
const data = JSON.stringify({ filler: 'y'.repeat(1000) });
const t = performance.now();
for (let i = 0; i < 50000; i++) {
  const k = `k${i % 1000}`;
  if (mode === 'get') up.get('ns', k, data, now + 1000, null, now);
  else if (mode === 'all') up.all('ns', k, data, now + 1000, null, now);
  else { for (const v of up.iterate('ns', k, data, now + 1000, null, now)) {} }
}
console.log(mode, ((performance.now() - t) / 50).toFixed(2), 'us/op', statSync(file).size, statSync(file + '-wal').size);
