// A peer range is a promise: every driver major a store accepts must be run by the tests, by
// `pnpm test` (the workspace's catalog version, on Node 20) or by a lane of the Node/driver
// matrix (tooling/matrix/lanes.mjs, run by `bash .ci/run`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { caretMajors, catalog, publicPackages, root } from './workspace-manifests.js';

interface Lane {
  node: number;
  runs: Array<{ package: string; files: string[]; drivers: Record<string, number> }>;
}

const lanesUrl = pathToFileURL(join(root, 'tooling', 'matrix', 'lanes.mjs')).href;
const { lanes } = (await import(lanesUrl)) as { lanes: Lane[] };

/** The majors of `peer` that a package's own devDependencies test with, through the catalog. */
function workspaceMajors(devDependencies: Record<string, string>, peer: string): number[] {
  const versions = catalog();
  return Object.entries(devDependencies).flatMap(([name, spec]) => {
    const range = spec === 'catalog:' ? (versions[name] ?? '') : spec;
    if (name === peer) return caretMajors(range);
    // An alias such as `redis5: npm:redis@^5.12.1` tests another major of the same driver.
    return range.startsWith(`npm:${peer}@`) ? caretMajors(range) : [];
  });
}

test('every driver major a store accepts is tested by pnpm test or a matrix lane', () => {
  const checked: string[] = [];
  for (const { dir, manifest } of publicPackages()) {
    const devDependencies = manifest.devDependencies ?? {};
    for (const [peer, spec] of Object.entries(manifest.peerDependencies ?? {})) {
      // A driver is a peer the package's tests install; @types and frameworks' own ranges
      // (vitest `>=3`) allow no caret majors and check nothing here.
      if (peer.startsWith('@types/') || !(peer in devDependencies)) continue;
      const range = spec === 'catalog:' ? (catalog()[peer] ?? '') : spec;
      const tested = new Set([
        ...workspaceMajors(devDependencies, peer),
        ...lanes.flatMap((lane) =>
          lane.runs.filter((run) => run.package === dir).map((run) => run.drivers[peer]),
        ),
      ]);
      for (const major of caretMajors(range)) {
        expect(tested.has(major), `${manifest.name}: ${peer} ${major} is never tested`).toBe(true);
        checked.push(`${peer}@${major}`);
      }
    }
  }
  // The check itself must see the drivers whose ranges span two majors.
  expect(checked).toEqual(
    expect.arrayContaining(['better-sqlite3@13', 'ioredis@6', 'mongodb@6', 'mongodb@7']),
  );
});

test('better-sqlite3 13 never runs on Node 20, where it crashes', () => {
  const on20 = lanes.filter((lane) => lane.node === 20).flatMap((lane) => lane.runs);
  expect(on20.some((run) => run.drivers['better-sqlite3'] === 13)).toBe(false);
});
