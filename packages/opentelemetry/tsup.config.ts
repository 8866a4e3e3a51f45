import { libraryBuild } from '@sessions/build-config';

export default libraryBuild();
