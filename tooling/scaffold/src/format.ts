/**
 * Formatting generated files with the workspace's Biome, so a new package is lint-clean
 * whatever the length of its name (long names wrap lines that short names keep whole).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What formatting did. */
export interface FormatResult {
  ok: boolean;
  /** Biome's output when it failed. */
  output: string;
}

/** Formats files (paths relative to `root`) in place. */
export type Formatter = (root: string, paths: readonly string[]) => FormatResult;

/** Files Biome formats. */
const FORMATTED = /\.(ts|json|md)$/;
/** Biome reads a changeset's `---` frontmatter as Markdown and would break it. */
const NEVER_FORMATTED = /^\.changeset\//;

/**
 * Run `biome check --write` (format, safe lint fixes, sorted imports) from the workspace root,
 * with the workspace's configuration.
 *
 * @example
 * ```ts
 * const { ok, output } = biomeFormatter(root, ['packages/postgres/src/index.ts']);
 * ```
 */
export const biomeFormatter: Formatter = (root, paths) => {
  const targets = paths.filter((path) => FORMATTED.test(path) && !NEVER_FORMATTED.test(path));
  if (targets.length === 0) return { ok: true, output: '' };
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'biome'),
    ['check', '--write', ...targets],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const output =
    `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
  return { ok: result.status === 0, output };
};
