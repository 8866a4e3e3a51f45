/**
 * Rules only store packages follow: the standard layout, the conformance test, the README
 * sections and the driver as a peer dependency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspacePackage } from './packages.js';
import { type Problem, problemAt, type Rule } from './rule.js';

/** The sections every store README has, in this order of importance (headings start with these). */
export const README_SECTIONS = [
  'Install',
  'Quick start',
  'Options',
  'Layout in the backend',
  'Expiry',
  'Guarantees',
  'Running the tests',
] as const;

/** The files of the standard store layout (STYLE.md), relative to the package. */
export function requiredStoreFiles(pkg: WorkspacePackage): string[] {
  return [
    'src/index.ts',
    `src/${pkg.folder}-store.ts`,
    `src/${pkg.folder}-driver.ts`,
    'src/options.ts',
    'test/conformance.test.ts',
    'README.md',
  ];
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function conformanceTest(pkg: WorkspacePackage): Problem[] {
  const file = 'test/conformance.test.ts';
  const text = readIfExists(join(pkg.dir, file));
  if (text === undefined) return [problemAt(pkg, file, 'is missing')];
  const problems: Problem[] = [];
  if (!/from\s+['"]@sessions\/conformance(\/vitest)?['"]/.test(text)) {
    problems.push(
      problemAt(pkg, file, 'must import describeStore from @sessions/conformance/vitest'),
    );
  }
  if (!/\bdescribeStore\s*\(/.test(text)) {
    problems.push(
      problemAt(pkg, file, 'must call describeStore({ name, capabilities, create, raw })'),
    );
  }
  return problems;
}

/** The README sections (## or ### headings starting with each name) that are missing. */
export function missingReadmeSections(readme: string): string[] {
  const headings = [...readme.matchAll(/^#{2,3}\s+(.+?)\s*$/gm)].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
  return README_SECTIONS.filter(
    (section) => !headings.some((heading) => heading.startsWith(section.toLowerCase())),
  );
}

function readmeSections(pkg: WorkspacePackage): Problem[] {
  const readme = readIfExists(join(pkg.dir, 'README.md'));
  if (readme === undefined) return [problemAt(pkg, 'README.md', 'is missing')];
  const missing = missingReadmeSections(readme);
  if (missing.length === 0) return [];
  return [
    problemAt(pkg, 'README.md', `has no section ${missing.map((s) => `"## ${s}"`).join(', ')}`),
  ];
}

const isWorkspacePackage = (name: string) => name.startsWith('@sessions/');

/**
 * Runtime dependencies a store may have besides @sessions/*, each with the reason. Empty: a
 * store's only outside code is its driver, and the user supplies that. A store that truly
 * needs a library of its own adds it here, where the review sees it.
 */
export const ALLOWED_STORE_DEPENDENCIES: Readonly<Record<string, string>> = {};

function driverAsPeer(pkg: WorkspacePackage): Problem[] {
  const file = 'package.json';
  const dependencies = Object.keys(pkg.manifest.dependencies ?? {});
  const peers = Object.keys(pkg.manifest.peerDependencies ?? {});
  const devDependencies = Object.keys(pkg.manifest.devDependencies ?? {});
  const problems: Problem[] = [];
  if (!peers.some((name) => !isWorkspacePackage(name))) {
    problems.push(
      problemAt(
        pkg,
        file,
        `declares no driver in peerDependencies: run \`pnpm --filter ${pkg.manifest.name ?? pkg.folder} add --save-peer <driver>\``,
      ),
    );
  }
  const outside = dependencies.filter(
    (dep) => !isWorkspacePackage(dep) && !Object.hasOwn(ALLOWED_STORE_DEPENDENCIES, dep),
  );
  for (const name of outside) {
    problems.push(
      problemAt(
        pkg,
        file,
        `"${name}" is in dependencies: a store's driver (and anything that must match its version) is a peerDependency, so users bring their own`,
      ),
    );
  }
  for (const name of peers.filter((peer) => !devDependencies.includes(peer))) {
    problems.push(
      problemAt(
        pkg,
        file,
        `peer dependency "${name}" must also be a devDependency, so the tests run against it`,
      ),
    );
  }
  return problems;
}

/** The rules only store packages follow. */
export const STORE_RULES: readonly Rule[] = [
  {
    id: 'store/layout',
    summary:
      'the standard layout: src/index.ts, src/<name>-store.ts, src/<name>-driver.ts, src/options.ts, test/conformance.test.ts, README.md',
    appliesTo: ['store'],
    check: (pkg) =>
      requiredStoreFiles(pkg)
        .filter((file) => !existsSync(join(pkg.dir, file)))
        .map((file) => problemAt(pkg, file, 'is missing (the standard store layout, STYLE.md)')),
  },
  {
    id: 'store/conformance-test',
    summary: 'test/conformance.test.ts runs the shared suite through describeStore',
    appliesTo: ['store'],
    check: conformanceTest,
  },
  {
    id: 'store/readme-sections',
    summary: `README.md has the sections ${README_SECTIONS.join(', ')}`,
    appliesTo: ['store'],
    check: readmeSections,
  },
  {
    id: 'store/driver-peer',
    summary: 'the driver is a peer (and dev) dependency, never a dependency',
    appliesTo: ['store'],
    check: driverAsPeer,
  },
];
