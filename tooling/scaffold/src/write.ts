/**
 * Writing a planned package to disk, without ever overwriting anything.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A scaffold run that must stop with a message for the contributor (exit code 1). */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/** Folder names under `packages/` (each is, or may become, a package). */
export function existingPackages(root: string): string[] {
  const dir = join(root, 'packages');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/**
 * Write `files` (paths relative to `root`) for the package `packages/<name>`. Refuses, before
 * writing anything, when the package folder or any target file already exists.
 *
 * @returns the paths written, relative to `root`.
 * @example
 * ```ts
 * writeStore('/work/main', 'postgres', planStore('postgres', loadTemplates()));
 * ```
 */
export function writeStore(
  root: string,
  name: string,
  files: ReadonlyMap<string, string>,
): string[] {
  const packageDir = join(root, 'packages', name);
  if (existsSync(packageDir)) {
    throw new ScaffoldError(
      `packages/${name} already exists; the scaffold never overwrites a package`,
    );
  }
  for (const path of files.keys()) {
    if (existsSync(join(root, path))) {
      throw new ScaffoldError(`${path} already exists; the scaffold never overwrites a file`);
    }
  }
  // Non-recursive: if another run created the folder since the check above, this throws
  // instead of both runs writing into it.
  mkdirSync(join(root, 'packages'), { recursive: true });
  mkdirSync(packageDir);
  const written: string[] = [];
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content, { flag: 'wx' });
    written.push(path);
  }
  return written;
}
