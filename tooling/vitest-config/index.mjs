// The one vitest configuration every package extends, so a test behaves the same everywhere.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';

/** Where each package's JSON results go, so `pnpm test` can print one total at the end. */
function resultsFile() {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'pnpm-workspace.yaml')) && dirname(dir) !== dir) dir = dirname(dir);
  const name =
    JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).name ?? 'unknown';
  return join(
    dir,
    'node_modules',
    '.cache',
    'sessions-test-results',
    `${name.replace(/[@/]/g, '_')}.json`,
  );
}

/**
 * Build a package's vitest config from the shared defaults.
 * @param {import('vitest/config').UserConfig} [overrides] package-specific settings
 *   (typically `test.globalSetup` to start the package's backend server).
 */
export function sessionsVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['test/**/*.test.ts'],
        // Backend tests talk to real servers: give them room, but never forever.
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // A skipped or focused test is not allowed to land; fail loudly instead.
        allowOnly: false,
        passWithNoTests: false,
        reporters: ['default', ['json', { outputFile: resultsFile() }]],
        pool: 'forks',
      },
    }),
    overrides,
  );
}
