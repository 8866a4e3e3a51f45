// Reading the workspace's own manifests for the tests that hold docs and CI to them: the
// published packages, their peer ranges, and the pnpm catalog the workspace tests with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const root = join(import.meta.dirname, '..', '..', '..');

/** The fields of a package.json these tests read. */
export interface Manifest {
  name: string;
  private?: boolean;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

/** A package under packages/ that is published (not private), with its folder name. */
export interface PublicPackage {
  dir: string;
  manifest: Manifest;
}

/** Every published package under packages/, sorted by folder. */
export function publicPackages(): PublicPackage[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      dir: entry.name,
      manifest: JSON.parse(
        readFileSync(join(root, 'packages', entry.name, 'package.json'), 'utf8'),
      ) as Manifest,
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The `catalog:` of pnpm-workspace.yaml: dependency name → range (`npm:` aliases kept). */
export function catalog(): Record<string, string> {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^catalog:\n((?:[ \t]+.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  const entries: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^\s+"?([^":]+)"?:\s*(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) entries[match[1]] = match[2];
  }
  return entries;
}

/** The majors a range allows by its caret (`^12.0.0 || ^13.0.0` → [12, 13]). */
export function caretMajors(range: string): number[] {
  return [...range.matchAll(/\^(\d+)/g)].map((m) => Number(m[1]));
}
