// The record of the last passing mutation run (baseline.json): a hash of every file the score
// depends on, by area, and the score per mutated area. `pnpm mutation --if-changed` (CI) runs
// only when a hash differs, so a run that changes nothing Stryker can see is not paid for twice.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The mutated code, by area: each area must score at least {@link THRESHOLD} on its own. */
export const MUTATED = {
  kit: 'packages/core/src/kit/',
  memory: 'packages/core/src/memory/',
};

/** The lowest score, in percent, a run may have in any area. */
export const THRESHOLD = 90;

/**
 * What a run's score depends on: the mutated code, the tests (the conformance suite and core's
 * kit and memory tests) and this tooling, minus what a run writes or only documents.
 */
const WATCHED = [
  'packages/core/src/kit',
  'packages/core/src/memory',
  'packages/conformance/src',
  'packages/core/test/kit',
  'packages/core/test/memory',
  'packages/core/test/memory-store.test.ts',
  'tooling/mutation',
];
const UNWATCHED = new Set(['tooling/mutation/baseline.json', 'tooling/mutation/README.md']);

const FILE = 'tooling/mutation/baseline.json';

/**
 * A hash of each watched path as it is on disk now (committed or not), so a run before a commit
 * records what the commit will hold. Files are the ones git tracks or would track (ignored ones,
 * like node_modules, are left out); a file deleted on disk counts as gone.
 */
export function treeHashes(root) {
  const hashes = {};
  for (const path of WATCHED) {
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', path],
      { cwd: root, encoding: 'utf8' },
    );
    const files = [...new Set(listed.split('\0').filter(Boolean))]
      .filter((file) => !UNWATCHED.has(file) && existsSync(join(root, file)))
      .sort();
    const hash = createHash('sha256');
    for (const file of files)
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(root, file)))
        .update('\0');
    hashes[path] = hash.digest('hex');
  }
  return hashes;
}

/** The last passing run's record, or `undefined` when there is none. */
export function readBaseline(root) {
  const path = join(root, FILE);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Record a passing run: its scores (percent, one decimal) and the hashes it ran on. */
export function writeBaseline(root, scores, trees) {
  const record = { threshold: THRESHOLD, scores, trees };
  writeFileSync(join(root, FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The watched paths whose hash differs from the baseline's (all of them without one). */
export function changedSince(baseline, trees) {
  return Object.keys(trees).filter((path) => baseline?.trees?.[path] !== trees[path]);
}

export { FILE as BASELINE_FILE };
