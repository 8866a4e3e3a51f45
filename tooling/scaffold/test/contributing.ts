/**
 * CONTRIBUTING.md's "Adding a backend" as data: the shell blocks a contributor runs, in order,
 * so the end-to-end test runs exactly what the guide says and the guide cannot drift.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type CommandResult, ROOT, run } from './support.js';

/** Where the guide's tested part ends (an HTML comment, invisible on the rendered page). */
export const MARKER = '<!-- contributing-test:';

/** The tested part of the guide. */
export interface BackendGuide {
  /** The ```sh blocks from "## Adding a backend" to the marker, in order. */
  blocks: string[];
  /** The example store's name, from its `pnpm new-store <name>`. */
  name: string;
}

/** Read the guide's commands (throws, naming what is missing, if the guide lost its shape). */
export function backendGuide(markdown = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')) {
  const start = markdown.indexOf('\n## Adding a backend\n');
  const end = markdown.indexOf(MARKER, start);
  if (start < 0) throw new Error('CONTRIBUTING.md has no "## Adding a backend" section');
  if (end < 0) throw new Error(`CONTRIBUTING.md has no ${MARKER} marker after "Adding a backend"`);
  const section = markdown.slice(start, end);
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const name = /^pnpm new-store ([a-z][a-z0-9-]*)$/m.exec(blocks.join('\n'))?.[1];
  if (name === undefined) throw new Error('the guide never runs `pnpm new-store <name>`');
  return { blocks, name } satisfies BackendGuide;
}

/**
 * What a fresh clone of the working tree holds: the files git tracks or would track (no
 * node_modules, no dist, no caches), copied to a new folder. Resolves to its path.
 */
export function freshClone(): string {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed:\n${listed.output}`);
  const work = mkdtempSync(join(tmpdir(), 'contributing-'));
  for (const file of listed.output.split('\0')) {
    // A file deleted in the working tree is still listed until the deletion is committed.
    if (file === '' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(ROOT, file), join(work, file));
  }
  return work;
}

/**
 * The environment of a contributor's shell: none of this test run's (vitest's, pnpm's own
 * script variables, CI, which makes `pnpm install` refuse to update the lockfile). Packages
 * already in the local store are used without asking the registry first.
 */
export function contributorEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const ours = /^(VITEST|npm_|PNPM_|TURBO_|CI$|NODE_OPTIONS$|NODE_ENV$|TEST$|INIT_CWD$)/;
    if (!ours.test(key)) env[key] = value;
  }
  return { ...env, npm_config_prefer_offline: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
}

/** Run one block of the guide as a contributor would paste it: one shell, stop at the first failure. */
export function runBlock(block: string, cwd: string, timeoutMs: number): CommandResult {
  return run('bash', ['-euo', 'pipefail', '-c', block], { cwd, timeoutMs, env: contributorEnv() });
}
