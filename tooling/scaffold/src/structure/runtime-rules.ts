/**
 * Rules checked by loading the built package in child processes: it imports from ESM and
 * CommonJS alike, and importing it does nothing (no timers, no sockets, nothing that keeps a
 * process alive).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { conditionTarget, exportSubpaths } from './exports-map.js';
import { ESM_ONLY_SUBPATHS, missingBuild } from './manifest-rules.js';
import type { WorkspacePackage } from './packages.js';
import { type ProbeMode, type ProbeResult, probeImport } from './probe.js';
import { type Problem, problemAt, type Rule } from './rule.js';

/** Test runners are loaded by the test files that need them, never by an entry point. */
const NOT_PRELOADED = new Set(['vitest']);

const cache = new Map<string, Promise<ProbeResult>>();

/** Probe once per built file version: both runtime rules share the child processes. */
function probe(pkg: WorkspacePackage, subpath: string, mode: ProbeMode): Promise<ProbeResult> {
  const specifier = specifierOf(pkg, subpath);
  const file = builtFile(pkg, subpath, mode);
  let version = 'missing';
  try {
    version = String(statSync(join(pkg.dir, file)).mtimeMs);
  } catch {
    // the file is missing: the probe reports the resulting import error
  }
  const key = `${pkg.dir}|${specifier}|${mode}|${version}`;
  let result = cache.get(key);
  if (result === undefined) {
    const preload = [
      ...Object.keys(pkg.manifest.dependencies ?? {}),
      ...Object.keys(pkg.manifest.peerDependencies ?? {}),
    ].filter((name) => !NOT_PRELOADED.has(name));
    result = probeImport(pkg.dir, specifier, mode, preload);
    cache.set(key, result);
  }
  return result;
}

/** The built file a condition resolves to, relative to the package (for messages). */
function builtFile(pkg: WorkspacePackage, subpath: string, mode: ProbeMode): string {
  const target = conditionTarget(pkg.manifest, subpath, mode === 'esm' ? 'import' : 'require');
  return (target ?? 'package.json').replace(/^\.\//, '');
}

/** The subpaths a user can load (everything but ./package.json and patterns). */
function loadableSubpaths(pkg: WorkspacePackage): string[] {
  return exportSubpaths(pkg.manifest).filter((s) => s !== './package.json' && !s.includes('*'));
}

/** What a user writes to load `subpath`: `@sessions/conformance/vitest` for `./vitest`. */
function specifierOf(pkg: WorkspacePackage, subpath: string): string {
  const name = pkg.manifest.name ?? `@sessions/${pkg.folder}`;
  return subpath === '.' ? name : `${name}${subpath.slice(1)}`;
}

async function importsFromBoth(pkg: WorkspacePackage): Promise<Problem[]> {
  const unbuilt = missingBuild(pkg);
  if (unbuilt.length > 0) return unbuilt;
  const problems: Problem[] = [];
  for (const subpath of loadableSubpaths(pkg)) {
    const specifier = specifierOf(pkg, subpath);
    const esm = await probe(pkg, subpath, 'esm');
    const esmFile = builtFile(pkg, subpath, 'esm');
    if (esm.error !== undefined) {
      problems.push(
        problemAt(
          pkg,
          esmFile,
          `import("${specifier}") fails on Node ${process.version}: ${esm.error}`,
        ),
      );
    } else if (esm.keys.length === 0) {
      problems.push(problemAt(pkg, esmFile, `import("${specifier}") exports nothing`));
    }
    if (Object.hasOwn(ESM_ONLY_SUBPATHS, specifier)) continue;
    const cjs = await probe(pkg, subpath, 'cjs');
    const cjsFile = builtFile(pkg, subpath, 'cjs');
    if (cjs.error !== undefined) {
      problems.push(
        problemAt(
          pkg,
          cjsFile,
          `require("${specifier}") fails on Node ${process.version}: ${cjs.error}`,
        ),
      );
    } else if (esm.error === undefined && cjs.keys.join() !== esm.keys.join()) {
      problems.push(
        problemAt(
          pkg,
          cjsFile,
          `require("${specifier}") exports [${cjs.keys.join(', ')}] but import() exports [${esm.keys.join(', ')}]`,
        ),
      );
    }
  }
  return problems;
}

async function noImportSideEffects(pkg: WorkspacePackage): Promise<Problem[]> {
  const unbuilt = missingBuild(pkg);
  if (unbuilt.length > 0) return unbuilt;
  const problems: Problem[] = [];
  for (const mode of ['esm', 'cjs'] as const) {
    const result = await probe(pkg, '.', mode);
    const file = builtFile(pkg, '.', mode);
    const how = mode === 'esm' ? 'importing' : 'requiring';
    // A failed import is reported by runtime/esm-and-cjs; nothing more to observe here.
    if (result.error !== undefined) continue;
    if (result.timers.length > 0) {
      problems.push(
        problemAt(pkg, file, `${how} it calls ${[...new Set(result.timers)].join(', ')}`),
      );
    }
    if (result.newResources.length > 0) {
      problems.push(
        problemAt(pkg, file, `${how} it leaves active handles: ${result.newResources.join(', ')}`),
      );
    }
    if (!result.exitedByItself) {
      problems.push(problemAt(pkg, file, `after ${how} it, the process did not exit by itself`));
    }
  }
  return problems;
}

/** The rules checked in child processes, on the built output. */
export const RUNTIME_RULES: readonly Rule[] = [
  {
    id: 'runtime/esm-and-cjs',
    summary: `every export subpath loads with import() and require() on Node ${process.versions.node.split('.')[0]}, with the same names`,
    appliesTo: 'all',
    check: importsFromBoth,
  },
  {
    id: 'runtime/no-import-side-effects',
    summary:
      'importing the main entry (ESM and CJS) starts no timer or socket and lets the process exit',
    appliesTo: 'all',
    check: noImportSideEffects,
  },
];
