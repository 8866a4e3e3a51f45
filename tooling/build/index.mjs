// One build for every published package, so ESM, CommonJS and the type files always agree.
import { defineConfig } from 'tsup';

/**
 * The tsup config of a published package.
 * @param {import('tsup').Options} [overrides] package-specific settings (extra entries, noExternal).
 */
export function libraryBuild(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
