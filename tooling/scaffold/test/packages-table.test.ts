// The root README's "Packages" table is what a newcomer reads first: it must list exactly the
// published packages, link each to its folder, and name each driver's supported majors as the
// peer ranges in package.json allow them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { caretMajors, publicPackages, root } from './workspace-manifests.js';

interface Row {
  name: string;
  link: string;
  drivers: string;
}

function tableRows(): Row[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Packages\n');
  expect(start, 'the root README has a "## Packages" section').toBeGreaterThan(-1);
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .map((line) => /^\| \[`([^`]+)`\]\(([^)]+)\) \|.*\| (.*) \|$/.exec(line))
    .filter((match) => match !== null)
    .map(([, name = '', link = '', drivers = '']) => ({ name, link, drivers }));
}

test('the Packages table lists every published package once, linked to its folder', () => {
  const rows = tableRows();
  const published = publicPackages();
  expect(rows.map((r) => r.name).sort()).toEqual(published.map((p) => p.manifest.name).sort());
  for (const { dir, manifest } of published) {
    expect(rows.find((r) => r.name === manifest.name)?.link).toBe(`packages/${dir}`);
  }
});

test('the Packages table names every required peer and each major its range allows', () => {
  const rows = tableRows();
  for (const { manifest } of publicPackages()) {
    const row = rows.find((r) => r.name === manifest.name);
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (manifest.peerDependenciesMeta?.[peer]?.optional || peer.startsWith('@types/')) continue;
      expect(row?.drivers, `${manifest.name}'s row names ${peer}`).toContain(`\`${peer}\``);
      for (const major of caretMajors(range)) {
        expect(row?.drivers, `${manifest.name}'s row names ${peer} ${major}`).toMatch(
          new RegExp(`\\b${major}\\b`),
        );
      }
    }
  }
});
