import { statSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createTableSql, sessionSql } from '../src/index.js';
const file = '/tmp/sq/wal.db';
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec(createTableSql('sessions'));
const sql = sessionSql('sessions');
const mode = process.argv[2];
const up = db.prepare(sql.upsert).pluck();
const now = Date.now();
const data = JSON.stringify({ filler: 'y'.repeat(200) });
for (let i = 0; i < 20000; i++) {
  if (mode === 'get') up.get('ns', `k${i}`, data, now + 1000, null, now);
  else up.run('ns', `k${i}`, data, now + 1000, null, now);
}
console.log(mode, statSync(file).size, statSync(file + '-wal').size);
console.log(db.pragma('wal_checkpoint(PASSIVE)'), db.pragma('wal_autocheckpoint'));
const plain = db.prepare('INSERT INTO sessions (namespace, key, data, expires_at, user_id, version) VALUES (?, ?, ?, ?, ?, 1)');
for (let i = 0; i < 20000; i++) plain.run('ns2', `k${i}`, data, now + 1000, null);
console.log('plain', statSync(file).size, statSync(file + '-wal').size);
