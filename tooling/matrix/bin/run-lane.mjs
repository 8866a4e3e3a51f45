#!/usr/bin/env node
// One package's tests on the Node.js line that runs this script, with database drivers taken
// from the matrix's cached installs instead of the workspace: called by run-matrix.mjs as
// `<line's node> run-lane.mjs <package dir> [test file...]` (no file: all of them), with SESSIONS_MATRIX_DRIVERS
// naming the drivers ([{ name, dir, version }], JSON), and SESSIONS_MATRIX_RESULT, if set, a
// file to write the lane's counts to.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [packageDir, ...files] = process.argv.slice(2);
if (!packageDir) {
  console.error('usage: run-lane.mjs <package dir> [test file...]');
  process.exit(2);
}
const root = resolve(packageDir);
/** @type {Array<{ name: string, dir: string, version: string }>} */
const drivers = JSON.parse(process.env.SESSIONS_MATRIX_DRIVERS ?? '[]');
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// The store's source imports its driver by name: point that name (and its subpaths) at the
// matrix's install. vitest resolves through these aliases, then loads the driver with Node's
// own loader from there, so the driver's dependencies come from the same install.
const alias = drivers.flatMap(({ name, dir }) => {
  const main = createRequire(join(dir, 'package.json')).resolve(name);
  return [
    { find: new RegExp(`^${escapeRegExp(name)}$`), replacement: main },
    {
      find: new RegExp(`^${escapeRegExp(name)}/`),
      replacement: `${join(dir, 'node_modules', name)}/`,
    },
  ];
});

const vitestNode = createRequire(join(root, 'package.json')).resolve('vitest/node');
const { startVitest } = await import(pathToFileURL(vitestNode).href);
const vitest = await startVitest(
  'test',
  files,
  {
    root,
    config: join(root, 'vitest.config.ts'),
    run: true,
    watch: false,
    // Not the json reporter of `pnpm test`: its per-package results file belongs to that run.
    reporters: ['default'],
    // Fails every test file whose driver is not the matrix's (an alias that did not apply).
    setupFiles: [fileURLToPath(new URL('../driver-check.mjs', import.meta.url))],
  },
  { resolve: { alias } },
);

/** Count the run's tests by final state, so a lane that ran nothing fails. */
function count(tasks, totals = { pass: 0, fail: 0, skip: 0 }) {
  for (const task of tasks) {
    if (task.type === 'test') {
      const state = task.result?.state;
      if (state === 'pass') totals.pass++;
      else if (state === 'fail') totals.fail++;
      else totals.skip++;
    } else if (task.tasks) count(task.tasks, totals);
  }
  return totals;
}
const totals = count(vitest?.state.getFiles() ?? []);
const failed = process.exitCode !== undefined && process.exitCode !== 0;
await vitest?.close();
const ok = !failed && totals.fail === 0 && totals.pass > 0 && totals.skip === 0;
console.log(
  `lane ${process.version} ${drivers.map((d) => `${d.name}@${d.version}`).join(' ') || '(workspace drivers)'}: ${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped`,
);
if (process.env.SESSIONS_MATRIX_RESULT) {
  writeFileSync(process.env.SESSIONS_MATRIX_RESULT, JSON.stringify({ ...totals, ok }));
}
process.exit(ok ? 0 : 1);
