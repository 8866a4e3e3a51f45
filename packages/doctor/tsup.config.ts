import { libraryBuild } from '@sessions/build-config';

// The CLI is its own entry: `bin` (bin/sessions-doctor.js) imports dist/cli.js.
export default libraryBuild({ entry: ['src/index.ts', 'src/cli.ts'] });
