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

// Under Node 20 the AWS SDK prints a NodeVersionSupportWarning in every process that builds a
// client (its releases after January 2027 need Node 22; see packages/dynamodb/README.md, "Node
// 20"). Every package whose tests reach DynamoDB (the store's, the adapters' and the demo's,
// through the shared test stores) would print it in each worker. Set in vitest's main process,
// it reaches the global setup and every worker, and hides only that warning: the SDK's own
// switch, not a filter on process warnings. An explicit `...=false` shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
