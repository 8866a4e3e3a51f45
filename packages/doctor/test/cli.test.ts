// The CLI in-process: the table with fixes, --json, and the exit codes.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@sessions/sqlite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../src/cli-main.js';
import type { DoctorReport } from '../src/index.js';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-cli-'));
  file = join(dir, 'sessions.db');
  const store = new SqliteStore({ database: file });
  await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

test('a failing check: a table line with its fix, and exit code 1', async () => {
  chmodSync(file, 0o644);
  const { code, out } = await cli('--store', `sqlite:${file}`);
  expect(code).toBe(1);
  expect(out).toMatch(/^FAIL {2}sqlite\.permissions +every user/m);
  expect(out).toMatch(/^ +fix: chmod 600/m);
  expect(out).toMatch(/^PASS {2}sqlite\.wal/m);
  expect(out).toMatch(/\d+ passed, \d+ warnings?, 1 failed$/m);
});

test('--json prints the report, and nothing failing exits 0', async () => {
  chmodSync(file, 0o600);
  const { code, out } = await cli('--store', `sqlite:${file}`, '--json');
  const report = JSON.parse(out) as DoctorReport;
  expect(report.ok).toBe(true);
  expect(report.results.find((r) => r.id === 'sqlite.permissions')?.status).toBe('pass');
  expect(code).toBe(0);
});

test('usage errors exit 2 with the usage', async () => {
  for (const args of [
    [],
    ['--store', 'ftp://x'],
    ['--bogus'],
    ['--app', 'x', '--timeout', 'soon'],
  ]) {
    const { code, err } = await cli(...args);
    expect(code, args.join(' ')).toBe(2);
    expect(err).toContain('Usage: sessions-doctor');
  }
  expect((await cli('--help')).out).toContain('--public-url');
});
