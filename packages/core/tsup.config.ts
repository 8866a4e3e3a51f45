import { readFile } from 'node:fs/promises';
import { libraryBuild } from '@sessions/build-config';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * superjson's published JS points its source maps at `src/*.ts` files it does not publish, so a
 * map chained through them names missing files (and vitest warns about each run). Read its JS
 * without the map comment: the bundle's map then points at that JS, with its text inlined.
 */
const dropBundledSourceMaps: Plugin = {
  name: 'drop-bundled-source-maps',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/].*[\\/]superjson[\\/]dist[\\/].*\.js$/ },
      async (args) => ({
        contents: (await readFile(args.path, 'utf8')).replace(/\/\/# sourceMappingURL=\S+\s*$/, ''),
        loader: 'js',
      }),
    );
  },
};

// Three entries, the app-facing one, the store kit and the adapter kit, sharing one copy of
// every module (code splitting): a ConflictError from a kit is the same class as the app's.
// superjson is ESM-only: bundling it keeps core free of runtime dependencies and lets
// CommonJS users require core on every Node 20 release.
export default libraryBuild({
  entry: { index: 'src/index.ts', kit: 'src/kit/index.ts', adapter: 'src/adapter/index.ts' },
  splitting: true,
  noExternal: ['superjson'],
  esbuildPlugins: [dropBundledSourceMaps],
});
