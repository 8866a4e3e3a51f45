/**
 * `pnpm soak`: run each chosen store under steady mixed load, print the table and every
 * check, exit non-zero when a check failed. See docs/reliability.md, "Soak".
 */
import { backendNamed } from './backends/index.js';
import { soakChecks } from './criteria.js';
import { parseCommand } from './options.js';
import { checkLines, soakTable } from './report.js';
import { runSoak } from './run-soak.js';

const command = parseCommand(process.argv.slice(2));
const backends = command.stores.map(backendNamed);
const perStoreMs = command.perStore
  ? command.totalMs
  : Math.floor(command.totalMs / backends.length);
const results = [];
let failed = false;
for (const backend of backends) {
  const missing = backend.unavailable();
  if (missing !== undefined) {
    // CI demands every backend; elsewhere a missing server is reported, not hidden.
    console.log(`${backend.name}: not run (${missing})`);
    if (process.env.SESSIONS_REQUIRE_ALL_BACKENDS === '1') failed = true;
    continue;
  }
  const run = await runSoak({
    backend,
    durationMs: perStoreMs,
    rate: command.rate,
    log: (line) => console.log(line),
  });
  const checks = soakChecks(run);
  for (const line of checkLines(backend.name, checks)) console.log(line);
  if (checks.some((c) => !c.passed)) failed = true;
  results.push({ run, checks });
}
console.log(`\n${soakTable(results)}\n`);
console.log(failed ? 'soak: FAILED' : 'soak: every check passed');
process.exitCode = failed ? 1 : 0;
