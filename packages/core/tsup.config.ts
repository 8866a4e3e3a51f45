import { libraryBuild } from '@sessions/build-config';

// Three entries, the app-facing one, the store kit and the adapter kit, sharing one copy of
// every module (code splitting): a ConflictError from a kit is the same class as the app's.
// superjson is ESM-only: bundling it keeps core free of runtime dependencies and lets
// CommonJS users require core on every Node 20 release.
export default libraryBuild({
  entry: { index: 'src/index.ts', kit: 'src/kit/index.ts', adapter: 'src/adapter/index.ts' },
  splitting: true,
  noExternal: ['superjson'],
});
