/**
 * Which packages the structure check looks at, and what kind each one is.
 *
 * The rule: every non-private package in `packages/*` is a published package and gets the
 * generic rules. It is also a **store package**, and gets the store rules, when it is not a
 * role package (core, conformance, or a framework adapter, see `ROLE_PACKAGES`) and its
 * folder holds a `src/*-store.ts` or a `test/conformance.test.ts`.
 *
 * The classification deliberately reads only file names, never package.json: the driver peer
 * dependency is something the check enforces, so a store that drifts (its driver moved into
 * `dependencies`) must not stop being a store.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROLE_PACKAGES } from '../names.js';

/** What role a package plays; stores get extra rules. */
export type PackageKind = 'store' | 'core' | 'conformance' | 'adapter' | 'other';

/** The parts of package.json the check reads. */
export interface PackageManifest {
  name?: string;
  private?: boolean;
  type?: string;
  sideEffects?: unknown;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  files?: string[];
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** One package of the workspace, as the rules see it. */
export interface WorkspacePackage {
  /** The workspace root. */
  root: string;
  /** The folder name under `packages/`, e.g. `redis`. */
  folder: string;
  /** Absolute path of the package. */
  dir: string;
  /** Path relative to the root, e.g. `packages/redis`: what problem messages show. */
  relDir: string;
  manifest: PackageManifest;
  kind: PackageKind;
}

/** The workspace root (the folder holding pnpm-workspace.yaml) at or above `from`. */
export function findWorkspaceRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml at or above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Whether `dir` holds a store by the rule in this module's comment. */
export function classifyPackage(folder: string, dir: string): PackageKind {
  const role = ROLE_PACKAGES[folder];
  if (role !== undefined) return role;
  const src = join(dir, 'src');
  const hasStoreFile =
    existsSync(src) && readdirSync(src).some((file) => file.endsWith('-store.ts'));
  const hasConformanceTest = existsSync(join(dir, 'test', 'conformance.test.ts'));
  return hasStoreFile || hasConformanceTest ? 'store' : 'other';
}

/**
 * Every published (non-private) package in `packages/*`, sorted by folder.
 *
 * @example
 * ```ts
 * for (const pkg of findPackages(root)) console.log(pkg.relDir, pkg.kind);
 * ```
 */
export function findPackages(root: string): WorkspacePackage[] {
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return [];
  const found: WorkspacePackage[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageManifest;
    if (manifest.private === true) continue;
    found.push({
      root,
      folder: entry.name,
      dir,
      relDir: `packages/${entry.name}`,
      manifest,
      kind: classifyPackage(entry.name, dir),
    });
  }
  return found.sort((a, b) => a.folder.localeCompare(b.folder));
}
