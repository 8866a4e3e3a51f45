// What the registry shows and what a user's licence audit reads: every published package
// carries the MIT LICENSE and points back at its folder of this repository, and core, whose
// build bundles superjson and copy-anything, ships their licences with it.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { publicPackages, root } from './workspace-manifests.js';

/** The folder of `name` as Node would find it from `from` (its package.json need not be exported). */
function installed(from: string, name: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  throw new Error(`${name} is not installed where ${from} can find it`);
}

const licence = readFileSync(join(root, 'LICENSE'), 'utf8');

test('every published package ships the LICENSE and names its repository folder', () => {
  expect(licence).toMatch(/^MIT License\n/);
  for (const { dir } of publicPackages()) {
    const path = join(root, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    expect(readFileSync(join(path, 'LICENSE'), 'utf8'), dir).toBe(licence);
    expect(manifest.license, dir).toBe('MIT');
    expect(manifest.files, dir).toContain('LICENSE');
    expect(manifest.repository?.directory, dir).toBe(`packages/${dir}`);
    expect(manifest.homepage, dir).toMatch(/^https:\/\//);
    expect(manifest.bugs?.url, dir).toMatch(/^https:\/\//);
  }
});

test("core's THIRD_PARTY_NOTICES.md holds the licence of each package its build bundles", () => {
  const core = join(root, 'packages', 'core');
  const manifest = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8'));
  expect(manifest.files).toContain('THIRD_PARTY_NOTICES.md');
  const notices = readFileSync(join(core, 'THIRD_PARTY_NOTICES.md'), 'utf8');
  // superjson is bundled (tsup noExternal), and with it its own dependency copy-anything.
  const superjsonDir = installed(core, 'superjson');
  const copyAnythingDir = installed(superjsonDir, 'copy-anything');
  for (const dir of [superjsonDir, copyAnythingDir]) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(notices, name).toContain(`## ${name}`);
    expect(notices, name).toContain(readFileSync(join(dir, 'LICENSE'), 'utf8').trim());
  }
});
