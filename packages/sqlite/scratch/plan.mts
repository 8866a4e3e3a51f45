import Database from 'better-sqlite3';
import { sessionSql } from '../src/statements.js';
const d = new Database('/tmp/sq/smoke.db');
const sql = sessionSql('sessions');
for (const [name, text] of Object.entries(sql)) {
  const n = (text.match(/\?/g) ?? []).length;
  const plan = d.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...Array(n).fill(1));
  console.log(name, plan.map((p: any) => p.detail).join(' | '));
}
