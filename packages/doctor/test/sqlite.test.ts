// SQLite checks against real files: a file SqliteStore made passes; each setting broken fails.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkFreeDisk } from '../src/checks/sqlite.js';
import { runDoctor } from '../src/index.js';
import { result } from './support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database file as SqliteStore leaves it, with its mode set to `mode`. */
async function storeFile(mode: number): Promise<string> {
  const file = join(dir, 'sessions.db');
  const store = new SqliteStore({ database: file, namespace: 'app' });
  await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
  await store.close();
  chmodSync(file, mode);
  return file;
}

describe('sqlite', () => {
  test('a file made by SqliteStore, private to its user, passes every check', async () => {
    const file = await storeFile(0o600);
    const report = await runDoctor({ store: `sqlite:${file}`, namespace: 'app' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['sqlite.permissions', 'pass'],
      ['sqlite.free-disk', expect.stringMatching(/pass|warn/)],
      ['sqlite.wal', 'pass'],
      ['sqlite.table', 'pass'],
      ['store.round-trip', expect.stringMatching(/pass|warn/)],
    ]);
    expect(result(report, 'store.round-trip').message).toMatch(/set .* ms, get .* ms, delete/);
  });

  test('a world-readable file fails sqlite.permissions', async () => {
    const file = await storeFile(0o644);
    const report = await runDoctor({ store: `sqlite:${file}` });
    expect(result(report, 'sqlite.permissions')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('chmod 600'),
    });
    expect(report.ok).toBe(false);
  });

  test('a file not in WAL mode fails sqlite.wal', async () => {
    const file = await storeFile(0o600);
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const report = await runDoctor({ store: `sqlite:${file}` });
    expect(result(report, 'sqlite.wal')).toMatchObject({ status: 'fail' });
    expect(result(report, 'sqlite.wal').message).toContain('journal_mode is delete');
  });

  test('a missing file or table fails, and nothing is created', async () => {
    const missing = await runDoctor({ store: `sqlite:${join(dir, 'nope.db')}` });
    expect(result(missing, 'sqlite.file').status).toBe('fail');
    const file = await storeFile(0o600);
    const report = await runDoctor({ store: `sqlite:${file}?table=other` });
    expect(result(report, 'sqlite.table').status).toBe('fail');
    expect(report.results.some((r) => r.id === 'store.round-trip')).toBe(false);
  });

  test('free disk below the thresholds fails or warns, above passes', async () => {
    const file = await storeFile(0o600);
    expect(checkFreeDisk(file, { failBelow: Number.MAX_SAFE_INTEGER, warnBelow: 0 }).status).toBe(
      'fail',
    );
    expect(checkFreeDisk(file, { failBelow: 0, warnBelow: Number.MAX_SAFE_INTEGER }).status).toBe(
      'warn',
    );
    expect(checkFreeDisk(file, { failBelow: 0, warnBelow: 0 }).status).toBe('pass');
  });
});
