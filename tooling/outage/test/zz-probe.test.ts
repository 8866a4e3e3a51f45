import { it } from 'vitest';
import { MemoryStore } from '@sessions/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLockContention } from '../src/index.js';
import { SqliteStore } from '../../../packages/sqlite/src/index.js';
import { spawn } from 'node:child_process';
const HOLDER = `
const Database = require('better-sqlite3');
const [file, holdMs] = process.argv.slice(1);
const db = new Database(file, { timeout: 5000 });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, Number(holdMs));
`;
function hold(file: string) {
  const child = spawn(process.execPath, ['-e', HOLDER, file, '3000'], { cwd: '/work/main/packages/sqlite', stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const seen = (l: string) => new Promise<void>((r) => child.stdout.on('data', (c) => { out += c; if (out.includes(l)) r(); }));
  const released = seen('released');
  return seen('locked').then(() => ({ released }));
}
it('probe', async () => {
  for (const kind of ['memory', 'sqlite', 'memory', 'sqlite']) {
    const file = join(mkdtempSync(join(tmpdir(), 'probe-')), 'x.db');
    await new SqliteStore({ database: file }).close();
    const store = kind === 'memory' ? new MemoryStore() : new SqliteStore({ database: file, pruneInterval: 0 });
    const r = await runLockContention({ name: kind, store, holdLock: () => hold(file), readBack: async () => true });
    console.log(kind, Math.round(r.eventLoopDelayMaxMs), Math.round(r.eventLoopDelayP99Ms));
    await store.close();
  }
}, 60000);
