/**
 * Shared helpers of the scaffold's tests: the workspace root and running commands.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot } from '../src/structure/packages.js';

/** The real workspace this checkout is. */
export const ROOT = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));

/** The workspace's Biome binary. */
export const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

/** What a finished command left behind. */
export interface CommandResult {
  status: number | null;
  output: string;
}

/** Run a command to completion (bounded), capturing stdout and stderr together. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    // A failing suite prints a lot; past the default 1 MB the output would be cut.
    maxBuffer: 64 * 1024 * 1024,
    env: options.env ?? { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * `text` as Biome would write it (formatting, lint fixes, sorted imports) at `path` (relative
 * to the root), with the workspace's configuration. Nothing is written to disk.
 */
export function biomeFixed(text: string, path: string): string {
  const result = spawnSync(BIOME, ['check', '--write', `--stdin-file-path=${path}`], {
    cwd: ROOT,
    input: text,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return result.stdout;
}
