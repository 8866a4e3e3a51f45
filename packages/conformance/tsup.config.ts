import { rmSync } from 'node:fs';
import { libraryBuild } from '@sessions/build-config';

// Two builds that share one dist folder, so neither may clean it (they run concurrently):
// it is emptied here, once, before either starts.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

export default [
  // ESM: the suite (no test runner) and its vitest wiring, with code splitting, so the checks
  // live in one shared chunk instead of a copy in each entry. vitest stays external: it is an
  // optional peer dependency, loaded only by `@sessions/conformance/vitest`.
  libraryBuild({
    entry: { index: 'src/index.ts', vitest: 'src/vitest.ts' },
    format: ['esm'],
    splitting: true,
    clean: false,
  }),
  // CommonJS: the suite only. vitest cannot be require()d, so a CJS vitest entry could never
  // load: `./vitest` is ESM-only.
  libraryBuild({ entry: { index: 'src/index.ts' }, format: ['cjs'], clean: false }),
];
