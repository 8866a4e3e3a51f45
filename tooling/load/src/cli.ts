/**
 * `pnpm load`: each chosen app on each chosen store under load, a table per run and one for
 * all, exit non-zero when a check failed. See docs/reliability.md, "Load through HTTP".
 */
import { appNamed } from './apps/index.js';
import { loadChecks } from './criteria.js';
import { parseLoadCommand } from './options.js';
import { runTable, summaryTable } from './report.js';
import { runLoad } from './run-load.js';
import { storeUnavailable } from './stores.js';

const command = parseLoadCommand(process.argv.slice(2));
const results = [];
let failed = false;
for (const store of command.stores) {
  const missing = storeUnavailable(store);
  if (missing !== undefined) {
    // Reported, never hidden: a run that skipped a store is not a pass for it.
    console.log(`${store}: not run (${missing})`);
    failed = true;
    continue;
  }
  for (const name of command.apps) {
    const run = await runLoad({
      app: appNamed(name),
      store,
      clients: command.clients,
      durationMs: command.durationMs,
      thinkMs: command.thinkMs,
      log: (line) => console.log(line),
    });
    const checks = loadChecks(run);
    console.log(`\n${runTable(run, checks)}\n`);
    if (checks.some((c) => !c.passed)) failed = true;
    results.push({ run, checks });
  }
}
console.log(`${summaryTable(results)}\n`);
console.log(failed ? 'load: FAILED' : 'load: every check passed');
process.exitCode = failed ? 1 : 0;
