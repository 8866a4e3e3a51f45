// Starts a throwaway PostgreSQL (or uses POSTGRES_URL) once for the whole test run, and makes
// sure dist is fresh: the multi-process test forks workers that import the BUILT package.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupPostgres } from '@sessions/test-services/postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the tests use; undefined when PostgreSQL is not installed. */
    postgresUrl: string | undefined;
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function mtime(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function buildIfStale(): void {
  const built = Math.min(mtime(join(root, 'dist/index.js')), mtime(join(root, 'dist/index.cjs')));
  const sources = readdirSync(join(root, 'src')).map((name) => mtime(join(root, 'src', name)));
  if (built > Math.max(...sources, mtime(join(root, 'package.json')))) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildIfStale();
  return setupPostgres(project);
}
