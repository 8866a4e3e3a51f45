// One major of a database driver installed for one Node.js line, in its own cached folder
// outside the workspace, so the workspace's own node_modules (built for the machine's Node)
// are never touched, and a native driver is compiled for the line that loads it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, lineEnv } from './node-line.mjs';

/**
 * Install `name@^major` for a Node line (once; later runs reuse it).
 * @param {{ dir: string, version: string }} line from nodeLine()
 * @param {string} name the driver's package name
 * @param {number} major the driver's major version
 * @returns {{ dir: string, version: string }} the folder whose node_modules holds the driver,
 *   and the exact version installed
 */
export function installDriver(line, name, major) {
  const lineMajor = line.version.replace(/^v/, '').split('.')[0];
  const base = join(cacheRoot, 'sessions-matrix', `node${lineMajor}`);
  const dir = join(base, `${name.replace('/', '+')}@${major}`);
  const installed = join(dir, 'node_modules', name, 'package.json');
  if (!existsSync(installed)) {
    console.log(`matrix: installing ${name}@^${major} for Node.js ${line.version}`);
    const work = `${dir}.partial`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(
      join(work, 'package.json'),
      `${JSON.stringify({ private: true, dependencies: { [name]: `^${major}` } }, null, 2)}\n`,
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: work,
      env: lineEnv(line),
      stdio: 'inherit',
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  }
  const { version } = JSON.parse(readFileSync(installed, 'utf8'));
  return { dir, version };
}
