// The README's quick start, run as written against a real SQLite file.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@sessions/sqlite';
import { runReadmeExample } from '@sessions/test-services/readme';
import { expect, test, vi } from 'vitest';

test('the quick start runs and prints the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-readme-'));
  const file = join(dir, 'sessions.db');
  const store = new SqliteStore({ database: file, namespace: 'shop' });
  await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
  await store.close();
  chmodSync(file, 0o600); // SqliteStore creates it with the process umask's mode
  process.env.SESSION_STORE = `sqlite:${file}`;
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const code = await runReadmeExample({
      packageDir: new URL('..', import.meta.url),
      packageName: '@sessions/doctor',
    });
    expect(code).toContain('runDoctor');
    const printed = log.mock.calls.map((call) => String(call[0]));
    expect(printed[0]).toMatch(/^PASS {2}sqlite\.wal/m);
    expect(printed[0]).toMatch(/^PASS {2}store\.round-trip/m);
    expect(printed.slice(1)).toEqual([]); // nothing failed, so no fixes
  } finally {
    log.mockRestore();
    delete process.env.SESSION_STORE;
    rmSync(dir, { recursive: true, force: true });
  }
});
