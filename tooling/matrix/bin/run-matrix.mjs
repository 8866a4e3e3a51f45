#!/usr/bin/env node
// `pnpm test:matrix [node major...]`: the lanes of ../lanes.mjs, each on its own Node.js line
// (downloaded from the npm registry and cached) with its own driver installs (compiled for
// that line and cached). Run after `pnpm build`. Exits non-zero if any lane fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDriver } from '../drivers.mjs';
import { lanes } from '../lanes.mjs';
import { nodeLine } from '../node-line.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const only = process.argv.slice(2).map(Number);
const results = [];
const scratch = mkdtempSync(join(tmpdir(), 'sessions-matrix-'));

for (const lane of lanes.filter((l) => only.length === 0 || only.includes(l.node))) {
  const line = nodeLine(lane.node);
  for (const run of lane.runs) {
    const drivers = Object.entries(run.drivers).map(([name, major]) => ({
      name,
      ...installDriver(line, name, major),
    }));
    const label = `Node.js ${line.version}, @sessions/${run.package}${drivers
      .map((d) => `, ${d.name}@${d.version}`)
      .join('')}${run.files.length > 0 ? ` (${run.files.join(', ')})` : ''}`;
    console.log(`\n--- matrix: ${label}`);
    const started = Date.now();
    const resultFile = join(scratch, `${results.length}.json`);
    const result = spawnSync(
      line.node,
      [join(here, 'run-lane.mjs'), join(root, 'packages', run.package), ...run.files],
      {
        cwd: join(root, 'packages', run.package),
        stdio: 'inherit',
        env: {
          ...process.env,
          PATH: `${join(line.dir, 'bin')}:${process.env.PATH}`,
          SESSIONS_MATRIX_DRIVERS: JSON.stringify(drivers),
          SESSIONS_MATRIX_RESULT: resultFile,
        },
      },
    );
    const counts = existsSync(resultFile)
      ? JSON.parse(readFileSync(resultFile, 'utf8'))
      : { pass: 0, fail: 0 };
    results.push({
      label,
      ok: result.status === 0,
      seconds: (Date.now() - started) / 1000,
      passed: counts.pass,
      failed: counts.fail,
    });
  }
}

console.log('\nMatrix:');
for (const { label, ok, seconds } of results) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label} (${seconds.toFixed(0)} s)`);
}
rmSync(scratch, { recursive: true, force: true });
const failedLanes = results.filter((r) => !r.ok).length;
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${results.length - failedLanes} of ${results.length} lanes passed.`);
// The closing line in the same form as `pnpm test`'s: the tests of every lane.
console.log(`Matrix: ${passed} passed, ${failed} failed`);
process.exit(failedLanes > 0 || results.length === 0 ? 1 : 0);
