// StrykerJS on the store kit and the memory store, with the conformance suite (run on the
// memory store) and the kit's unit tests as the tests. Run from the repository root by
// bin/run-mutation.mjs (`pnpm mutation`); paths are relative to the root.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: [require.resolve('@stryker-mutator/vitest-runner')],
  vitest: { configFile: 'tooling/mutation/vitest.config.ts' },
  mutate: [
    'packages/core/src/kit/**/*.ts',
    'packages/core/src/memory/**/*.ts',
    // Re-export lists: nothing to mutate that a test could observe.
    '!packages/core/src/**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // The sandbox is a copy of the repository without what the run never reads.
  ignorePatterns: [
    'dist',
    'docs',
    'examples',
    '.turbo',
    '.changeset',
    'reports',
    '**/*.db',
    'tooling/test-services/ferretdb/bin',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  timeoutMS: 10_000,
};
