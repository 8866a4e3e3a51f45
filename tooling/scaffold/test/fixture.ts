/**
 * A store package on disk that passes every structure rule, for the checker's own tests to
 * break one rule at a time. Its dist is written by hand (no build), so it needs no install.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { planStore } from '../src/generate.js';
import { findPackages, type WorkspacePackage } from '../src/structure/packages.js';
import { loadTemplates } from '../src/templates.js';

const DIST: Record<string, string> = {
  'index.js': 'export class AcmeStore {}\n',
  'index.cjs': "'use strict';\nclass AcmeStore {}\nexports.AcmeStore = AcmeStore;\n",
  'index.d.ts': 'export declare class AcmeStore {}\n',
  'index.d.cts': 'export declare class AcmeStore {}\n',
};

let template: string | undefined;
const created: string[] = [];

/** Remove every fixture this test file created. */
export function removeFixtures(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
  template = undefined;
}

/** Write the conforming fixture once; copies of it are what tests mutate. */
function conformingFixture(): string {
  if (template !== undefined) return template;
  const root = mkdtempSync(join(tmpdir(), 'scaffold-fixture-'));
  created.push(root);
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  for (const [path, text] of planStore('acme', loadTemplates())) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const pkg = join(root, 'packages', 'acme');
  editJson(join(pkg, 'package.json'), (manifest) => {
    manifest.peerDependencies = { 'fixture-driver': '^1.0.0' };
    (manifest.devDependencies as Record<string, string>)['fixture-driver'] = '^1.0.0';
  });
  mkdirSync(join(pkg, 'dist'));
  for (const [file, text] of Object.entries(DIST)) writeFileSync(join(pkg, 'dist', file), text);
  template = root;
  return root;
}

/** A fresh copy of the conforming fixture: the workspace root and its one package. */
export function fixturePackage(): { root: string; dir: string; load: () => WorkspacePackage } {
  const root = mkdtempSync(join(tmpdir(), 'scaffold-drift-'));
  created.push(root);
  cpSync(conformingFixture(), root, { recursive: true });
  const dir = join(root, 'packages', 'acme');
  const load = () => {
    const [pkg] = findPackages(root);
    if (pkg === undefined) throw new Error('the fixture package was not found');
    return pkg;
  };
  return { root, dir, load };
}

/** Rewrite a JSON file in place. */
export function editJson(path: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
