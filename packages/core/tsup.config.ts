import { libraryBuild } from '@sessions/build-config';

// superjson is ESM-only: bundling it keeps core free of runtime dependencies and lets
// CommonJS users require core on every Node 20 release.
export default libraryBuild({ noExternal: ['superjson'] });
