/**
 * Walking a package.json `exports` map: its subpaths, its condition objects and the files it
 * points at.
 */
import type { PackageManifest } from './packages.js';

/** A file the manifest points at, and where in the manifest it was found. */
export interface ManifestTarget {
  /** e.g. `exports["."].import.types` or `main`. */
  where: string;
  /** The path as written, e.g. `./dist/index.js`. */
  target: string;
}

/** A condition object inside `exports`, e.g. `exports["."].import` with its keys in order. */
export interface ConditionObject {
  where: string;
  keys: string[];
}

type ExportsValue = string | null | ExportsValue[] | { [key: string]: ExportsValue };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `exports` subpaths (keys starting with "."), or `[]` when there is no subpath map. */
export function exportSubpaths(manifest: PackageManifest): string[] {
  if (!isRecord(manifest.exports)) return [];
  return Object.keys(manifest.exports).filter((key) => key.startsWith('.'));
}

function walk(
  value: ExportsValue,
  where: string,
  targets: ManifestTarget[],
  conditions: ConditionObject[],
): void {
  if (value === null) return;
  if (typeof value === 'string') {
    targets.push({ where, target: value });
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, `${where}[${i}]`, targets, conditions);
    return;
  }
  const keys = Object.keys(value);
  // An object keyed by subpaths (".", "./vitest") is the exports map itself, not conditions.
  if (!keys.some((key) => key.startsWith('.'))) conditions.push({ where, keys });
  for (const key of keys) {
    const child = value[key];
    const path = key.startsWith('.') ? `${where}["${key}"]` : `${where}.${key}`;
    if (child !== undefined) walk(child, path, targets, conditions);
  }
}

/** Every file path in `exports`, `main`, `module` and `types`. */
export function manifestTargets(manifest: PackageManifest): ManifestTarget[] {
  const targets: ManifestTarget[] = [];
  if (manifest.exports !== undefined) {
    walk(manifest.exports as ExportsValue, 'exports', targets, []);
  }
  for (const field of ['main', 'module', 'types'] as const) {
    const target = manifest[field];
    if (typeof target === 'string') targets.push({ where: field, target });
  }
  return targets;
}

/** Every condition object in `exports` (objects whose keys are conditions, not subpaths). */
export function conditionObjects(manifest: PackageManifest): ConditionObject[] {
  const conditions: ConditionObject[] = [];
  if (manifest.exports !== undefined) {
    walk(manifest.exports as ExportsValue, 'exports', [], conditions);
  }
  return conditions;
}

/** `exports[subpath][condition].default`, e.g. the ESM file of ".", if written that way. */
export function conditionTarget(
  manifest: PackageManifest,
  subpath: string,
  condition: 'import' | 'require',
  leaf: 'default' | 'types' = 'default',
): string | undefined {
  if (!isRecord(manifest.exports)) return undefined;
  const entry = manifest.exports[subpath];
  if (!isRecord(entry)) return undefined;
  const branch = entry[condition];
  if (!isRecord(branch)) return undefined;
  const target = branch[leaf];
  return typeof target === 'string' ? target : undefined;
}
