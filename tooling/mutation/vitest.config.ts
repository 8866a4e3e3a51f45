// The tests of a mutation run, with every @sessions/* import pointed at the *source* next to
// this file. Stryker copies the repository into a sandbox and mutates the copy, so paths are
// taken from where this file is, never from the installed packages (whose dist is unmutated).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (path: string) => resolve(root, path);

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@sessions\/core\/kit$/, replacement: at('packages/core/src/kit/index.ts') },
      { find: /^@sessions\/core\/adapter$/, replacement: at('packages/core/src/adapter/index.ts') },
      { find: /^@sessions\/core$/, replacement: at('packages/core/src/index.ts') },
      {
        find: /^@sessions\/conformance\/vitest$/,
        replacement: at('packages/conformance/src/vitest.ts'),
      },
      { find: /^@sessions\/conformance$/, replacement: at('packages/conformance/src/index.ts') },
    ],
  },
  test: {
    include: [
      'tooling/mutation/test/**/*.test.ts',
      'packages/core/test/kit/**/*.test.ts',
      'packages/core/test/memory-store.test.ts',
      'packages/core/test/memory/**/*.test.ts',
    ],
    // Loads the *built* package in a child process, which no mutant reaches.
    testNamePattern: /^(?!.*the timer is unref'd)/,
    pool: 'forks',
    testTimeout: 30_000,
    allowOnly: false,
  },
});
