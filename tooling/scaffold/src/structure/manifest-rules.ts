/**
 * Rules every published package follows: its package.json, its build output and its tsconfig.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import {
  conditionObjects,
  conditionTarget,
  exportSubpaths,
  manifestTargets,
} from './exports-map.js';
import type { WorkspacePackage } from './packages.js';
import { type Problem, problemAt, type Rule } from './rule.js';

const MANIFEST = 'package.json';

/**
 * Subpaths shipped as ESM only, with the reason: they have an `import` branch and no `require`
 * branch (a CommonJS build of them could never load), and only `import()` is probed.
 */
export const ESM_ONLY_SUBPATHS: Readonly<Record<string, string>> = {
  '@sessions/conformance/vitest':
    'it imports vitest, which is ESM-only and refuses to be loaded through require()',
};

/** The dist folder is missing: every build-dependent rule reports this one problem. */
export function missingBuild(pkg: WorkspacePackage): Problem[] {
  if (existsSync(join(pkg.dir, 'dist'))) return [];
  return [problemAt(pkg, 'dist', 'is missing: run `pnpm build` at the root first')];
}

function requireField(pkg: WorkspacePackage, ok: boolean, message: string): Problem[] {
  return ok ? [] : [problemAt(pkg, MANIFEST, message)];
}

/** Each subpath (but ./package.json) has import and require branches, each with types and default. */
function exportsShape(pkg: WorkspacePackage): Problem[] {
  const { manifest } = pkg;
  const subpaths = exportSubpaths(manifest);
  if (!subpaths.includes('.')) {
    return [problemAt(pkg, MANIFEST, 'has no `exports["."]`: give the package an exports map')];
  }
  const problems: Problem[] = [];
  const exportsMap = manifest.exports as Record<string, unknown>;
  if (exportsMap['./package.json'] !== './package.json') {
    problems.push(problemAt(pkg, MANIFEST, 'must export "./package.json": "./package.json"'));
  }
  for (const subpath of subpaths.filter((s) => s !== './package.json')) {
    const specifier = `${manifest.name ?? `@sessions/${pkg.folder}`}${subpath.slice(1)}`;
    const esmOnly = Object.hasOwn(ESM_ONLY_SUBPATHS, specifier);
    if (esmOnly && conditionTarget(manifest, subpath, 'require', 'default') !== undefined) {
      problems.push(
        problemAt(
          pkg,
          MANIFEST,
          `exports["${subpath}"] is ESM only (${ESM_ONLY_SUBPATHS[specifier]}): remove its require branch`,
        ),
      );
    }
    for (const condition of esmOnly ? (['import'] as const) : (['import', 'require'] as const)) {
      for (const leaf of ['types', 'default'] as const) {
        if (conditionTarget(manifest, subpath, condition, leaf) === undefined) {
          problems.push(
            problemAt(pkg, MANIFEST, `exports["${subpath}"].${condition}.${leaf} is missing`),
          );
        }
      }
    }
  }
  return problems;
}

/** main / module / types agree with exports["."], for tools that ignore exports. */
function legacyEntryFields(pkg: WorkspacePackage): Problem[] {
  const { manifest } = pkg;
  const expected = {
    main: conditionTarget(manifest, '.', 'require'),
    module: conditionTarget(manifest, '.', 'import'),
    types: conditionTarget(manifest, '.', 'import', 'types'),
  };
  return Object.entries(expected).flatMap(([field, target]) => {
    const actual = manifest[field as keyof typeof expected];
    return actual === target
      ? []
      : [
          problemAt(
            pkg,
            MANIFEST,
            `"${field}" is ${JSON.stringify(actual)}; expected ${JSON.stringify(target)} (as in exports["."])`,
          ),
        ];
  });
}

/** Every path the manifest points at exists (after a build). */
function targetsExist(pkg: WorkspacePackage): Problem[] {
  const unbuilt = missingBuild(pkg);
  if (unbuilt.length > 0) return unbuilt;
  return manifestTargets(pkg.manifest)
    .filter(({ target }) => !existsSync(join(pkg.dir, target)))
    .map(({ where, target }) =>
      problemAt(
        pkg,
        target.replace(/^\.\//, ''),
        `does not exist, but package.json ${where} points at it`,
      ),
    );
}

function tsconfigExtendsByName(pkg: WorkspacePackage): Problem[] {
  const path = join(pkg.dir, 'tsconfig.json');
  if (!existsSync(path)) return [problemAt(pkg, 'tsconfig.json', 'is missing')];
  // tsconfig.json is JSON with comments: read it the way TypeScript does.
  const parsed = ts.parseConfigFileTextToJson(path, readFileSync(path, 'utf8'));
  if (parsed.error) return [problemAt(pkg, 'tsconfig.json', 'does not parse')];
  const base = (parsed.config as { extends?: unknown }).extends;
  if (typeof base === 'string' && base.startsWith('@sessions/tsconfig/')) return [];
  return [
    problemAt(
      pkg,
      'tsconfig.json',
      `must extend the shared config by package name ("@sessions/tsconfig/library.json"), not ${JSON.stringify(base)}`,
    ),
  ];
}

/** The rules every published package follows. */
export const MANIFEST_RULES: readonly Rule[] = [
  {
    id: 'manifest/name',
    summary: 'package.json names the package @sessions/<folder>',
    appliesTo: 'all',
    check: (pkg) =>
      requireField(
        pkg,
        pkg.manifest.name === `@sessions/${pkg.folder}`,
        `"name" must be "@sessions/${pkg.folder}"`,
      ),
  },
  {
    id: 'manifest/type-module',
    summary: 'package.json has "type": "module"',
    appliesTo: 'all',
    check: (pkg) => requireField(pkg, pkg.manifest.type === 'module', '"type" must be "module"'),
  },
  {
    id: 'manifest/side-effects',
    summary: 'package.json has "sideEffects": false',
    appliesTo: 'all',
    check: (pkg) =>
      requireField(
        pkg,
        pkg.manifest.sideEffects === false,
        '"sideEffects" must be false (importing a package does nothing)',
      ),
  },
  {
    id: 'manifest/exports-map',
    summary:
      'exports: import and require for every subpath (import only for an ESM-only one), each with types and default; ./package.json exported',
    appliesTo: 'all',
    check: exportsShape,
  },
  {
    id: 'manifest/types-first',
    summary: 'every export condition object lists "types" first',
    appliesTo: 'all',
    check: (pkg) =>
      conditionObjects(pkg.manifest)
        .filter(({ keys }) => keys.includes('types') && keys[0] !== 'types')
        .map(({ where, keys }) =>
          problemAt(pkg, MANIFEST, `${where} lists ${keys.join(', ')}: "types" must come first`),
        ),
  },
  {
    id: 'manifest/legacy-entries',
    summary: 'main, module and types agree with exports["."]',
    appliesTo: 'all',
    check: legacyEntryFields,
  },
  {
    id: 'manifest/files-and-engines',
    summary: 'package.json publishes dist and declares engines.node',
    appliesTo: 'all',
    check: (pkg) => [
      ...requireField(
        pkg,
        pkg.manifest.files?.includes('dist') === true,
        '"files" must include "dist"',
      ),
      ...requireField(
        pkg,
        typeof pkg.manifest.engines?.node === 'string',
        '"engines.node" must be set',
      ),
    ],
  },
  {
    id: 'build/targets-exist',
    summary: 'every file exports/main/module/types point at exists after the build',
    appliesTo: 'all',
    check: targetsExist,
  },
  {
    id: 'tsconfig/extends-by-name',
    summary: 'tsconfig.json extends @sessions/tsconfig by package name',
    appliesTo: 'all',
    check: tsconfigExtendsByName,
  },
  {
    id: 'readme/present',
    summary: 'README.md exists (it is published)',
    appliesTo: 'all',
    check: (pkg) =>
      existsSync(join(pkg.dir, 'README.md')) ? [] : [problemAt(pkg, 'README.md', 'is missing')],
  },
];
