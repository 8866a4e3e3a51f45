// A vitest setup file for matrix lanes: the driver a test imports by name must be the very
// module object that the matrix installed, or the lane would silently test the workspace's
// driver. Runs in every test file's worker, before the tests.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** @type {Array<{ name: string, dir: string, version: string }>} */
const drivers = JSON.parse(process.env.SESSIONS_MATRIX_DRIVERS ?? '[]');
for (const { name, dir, version } of drivers) {
  const expected = createRequire(join(dir, 'package.json'))(name);
  const imported = await import(/* @vite-ignore */ name);
  if ((imported.default ?? imported) !== expected) {
    throw new Error(
      `matrix: '${name}' did not resolve to the matrix's ${name}@${version} in ${dir}`,
    );
  }
}
