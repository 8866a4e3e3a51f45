// The README's quick start, run as written (only the package import points at the source),
// and the layout it shows is the one the store creates.
import { readFileSync } from 'node:fs';
import { runReadmeExample } from '@sessions/test-services/readme';
import { describe, expect, inject, test, vi } from 'vitest';
import { schemaSql } from '../src/index.js';

const url = inject('postgresUrl');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  test('shows the table layout the store really creates', () => {
    expect(readme).toContain(schemaSql('sessions'));
  });

  test.skipIf(!url)('the quick start runs and prints what its comments say', async () => {
    process.env.POSTGRES_URL = url;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await runReadmeExample({
        packageDir: new URL('..', import.meta.url),
        packageName: '@sessions/postgres',
      });
      expect(code).toContain('new PostgresStore');
      expect(log.mock.calls).toEqual([[{ cart: ['sku-1'] }, true], [1]]);
    } finally {
      log.mockRestore();
    }
  });
});
