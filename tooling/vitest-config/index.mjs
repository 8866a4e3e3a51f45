// The one vitest configuration every package extends, so a test behaves the same everywhere.
import { defineConfig, mergeConfig } from 'vitest/config';

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
        reporters: process.env.CI ? ['default'] : ['default'],
        pool: 'forks',
      },
    }),
    overrides,
  );
}
