import type { Options } from 'tsup';

/** The tsup config of a published package: ESM + CommonJS + type files, for Node 20. */
export declare function libraryBuild(overrides?: Options): Options | Options[];
