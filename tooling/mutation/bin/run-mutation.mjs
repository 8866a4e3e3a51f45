#!/usr/bin/env node
// `pnpm mutation`: StrykerJS on the store kit and the memory store (tooling/mutation/README.md).
// Prints the score per area and every surviving mutant; exits non-zero when an area scores under
// 90 %. A full passing run rewrites baseline.json.
//   --mutate <glob>  narrow the run (e.g. to one file while killing its survivors); no baseline
//   --if-changed     skip the run when nothing it depends on changed since the baseline (CI)
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import {
  BASELINE_FILE,
  changedSince,
  MUTATED,
  readBaseline,
  THRESHOLD,
  treeHashes,
  writeBaseline,
} from '../baseline.mjs';
import { justifiedRows, writeJustified } from '../justified.mjs';
import { areaScores } from '../scores.mjs';
import config from '../stryker.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
process.chdir(root);

const args = process.argv.slice(2);
const at = args.indexOf('--mutate');
const narrowed = at >= 0 ? args[at + 1] : undefined;
const ifChanged = args.includes('--if-changed');
if ((at >= 0 && narrowed === undefined) || (narrowed !== undefined && ifChanged)) {
  console.error('usage: run-mutation.mjs [--mutate <glob> | --if-changed]');
  process.exit(2);
}

const trees = treeHashes(root);
if (ifChanged) {
  const baseline = readBaseline(root);
  const changed = changedSince(baseline, trees);
  if (changed.length === 0) {
    const scores = Object.entries(baseline.scores).map(([area, score]) => `${area} ${score} %`);
    console.log(
      `mutation: nothing changed since the last passing run (${scores.join(', ')}); skipped`,
    );
    process.exit(0);
  }
  console.log(`mutation: changed since the last passing run: ${changed.join(', ')}`);
}

const started = Date.now();
// A narrowed run keeps the config's exclusions (the `!` globs: re-export lists).
const excluded = config.mutate.filter((glob) => glob.startsWith('!'));
const options = narrowed === undefined ? config : { ...config, mutate: [narrowed, ...excluded] };
const results = await new Stryker(options).runMutationTest();
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const survivors = results.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
console.log(`\n${survivors.length} surviving mutant(s):`);
for (const m of survivors) {
  const where = `${m.fileName.replace(`${root}/`, '')}:${m.location.start.line}`;
  const status = m.status === 'Survived' ? 'survived' : 'no coverage';
  console.log(`${status}  ${where}  ${m.mutatorName}  ${JSON.stringify(m.replacement)}`);
}

const areas = areaScores(results, root);
let failed = false;
console.log(`\nmutation score by area (${minutes} min; at least ${THRESHOLD} % each):`);
for (const [area, s] of Object.entries(areas)) {
  const low = s.score < THRESHOLD;
  failed ||= low;
  const counts = `${s.detected} detected, ${s.undetected} undetected, ${s.ignored} justified`;
  console.log(`  ${area}: ${s.score} %  (${counts})${low ? '  UNDER THRESHOLD' : ''}`);
}
const missing = Object.keys(MUTATED).filter((area) => areas[area] === undefined);
if (narrowed === undefined && missing.length > 0) {
  // A full run that mutated nothing in an area proves nothing about it.
  console.log(`  no mutants in: ${missing.join(', ')} (stryker.config.mjs \`mutate\`?)`);
  failed = true;
}

if (failed) {
  process.exitCode = 1;
} else if (narrowed === undefined) {
  // Only a full run may stand for the whole tree; Stryker's own exit code stays as it set it.
  writeJustified(root, justifiedRows(results, root));
  const scores = Object.fromEntries(Object.entries(areas).map(([a, s]) => [a, s.score]));
  writeBaseline(root, scores, trees);
  console.log(
    `justified survivors written to tooling/mutation/README.md; baseline to ${BASELINE_FILE}`,
  );
  console.log('commit both, so CI skips the next run that changes nothing they cover');
}
