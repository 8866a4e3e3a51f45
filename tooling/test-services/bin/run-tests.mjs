#!/usr/bin/env node
// `pnpm test`: every package's tests through turbo, then a plain list of the backends this
// machine could not test and the command that installs each.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// The same folder the launcher's reportMissingBackend() writes to.
const reports =
  process.env.SESSIONS_MISSING_BACKENDS_DIR ??
  join(root, 'node_modules', '.cache', 'sessions-missing-backends');
const results = join(root, 'node_modules', '.cache', 'sessions-test-results');
rmSync(reports, { recursive: true, force: true });
rmSync(results, { recursive: true, force: true });

// --continue: every package runs even after one fails, so a run shows every failure.
const args = [
  'exec',
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  '--continue',
  ...process.argv.slice(2),
];
const run = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });

const missing = existsSync(reports) ? readdirSync(reports) : [];
if (missing.length > 0) {
  console.log('\nBackends not tested on this machine (their tests did not run):');
  for (const file of missing) {
    const [reason, install] = readFileSync(join(reports, file), 'utf8').split('\n');
    console.log(`  - ${file.replace(/\.txt$/, '')}: ${reason}\n      install: ${install}`);
  }
  console.log('Set SESSIONS_REQUIRE_ALL_BACKENDS=1 to make a missing backend a failure.');
}
// One total over every package (each vitest run wrote its JSON results). A file can fail with
// no test failing (a hook or an import threw, and its tests were skipped): name those too, so
// a red run never reads "0 failed".
const totals = { passed: 0, failed: 0, skipped: 0 };
const brokenFiles = [];
const failedTests = [];
const relative = (name) => (name.startsWith(root) ? name.slice(root.length + 1) : name);
for (const file of existsSync(results) ? readdirSync(results) : []) {
  const r = JSON.parse(readFileSync(join(results, file), 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (suite.status === 'failed' && failed.length === 0) brokenFiles.push(relative(suite.name));
    for (const test of failed) {
      // The first line of the first failure: enough to tell which check broke when only the
      // end of a long log survives (a CI summary), the full error being above.
      const reason = String(test.failureMessages?.[0] ?? '')
        .split('\n')[0]
        .slice(0, 300);
      failedTests.push(`${relative(suite.name)} > ${test.fullName}\n      ${reason}`);
    }
  }
}
console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (failedTests.length > 0) {
  console.log('Failed tests (their full errors are above):');
  for (const line of failedTests) console.log(`  - ${line}`);
}
if (brokenFiles.length > 0) {
  console.log(`Files that failed outside any test (see their errors above):`);
  for (const name of brokenFiles) console.log(`  - ${name}`);
}
process.exit(run.status ?? 1);
