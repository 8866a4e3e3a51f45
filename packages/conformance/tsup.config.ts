import { libraryBuild } from '@sessions/build-config';

// Two entries: the suite itself (no test runner, safe to require from CommonJS) and its vitest
// wiring. vitest stays external: it is a peer dependency.
export default libraryBuild({ entry: ['src/index.ts', 'src/vitest.ts'] });
