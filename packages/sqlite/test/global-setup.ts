/**
 * The multi-process tests fork workers that import the BUILT package (dist), as an app would.
 * Build it first when dist is missing or older than any source file, so a test never runs
 * yesterday's code in its workers.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function mtime(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

export default function setup(): void {
  const built = Math.min(mtime(join(root, 'dist/index.js')), mtime(join(root, 'dist/index.cjs')));
  const sources = readdirSync(join(root, 'src')).map((name) => mtime(join(root, 'src', name)));
  if (built > Math.max(...sources, mtime(join(root, 'package.json')))) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
