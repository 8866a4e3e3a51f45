/** The printed tables: one per run (figure by figure), and one row per run for the docs. */
import { type LoadCheck, memoryFigures } from './criteria.js';
import type { LoadRun } from './run-load.js';

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);
const ms = (value: number) => value.toFixed(1);
const pct = (share: number) => `${Math.round(share * 100)} %`;
const list = (counts: Record<string, number | undefined>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}: ${n}`)
    .join(', ') || 'none';

function figures(run: LoadRun) {
  const { tally, delay } = run;
  const { heap, rss } = memoryFigures(run);
  const first = run.memory[0];
  const latency = (p: number) => tally.latency.percentile(p) / 1000;
  return {
    requests: String(tally.requests),
    rate: String(Math.round(tally.requests / (run.elapsedMs / 1000))),
    statuses: list(tally.statuses),
    errors: list(tally.errors),
    conflicts: `${tally.contendedConflicts} (${run.sharedClients} clients share ${run.sharedClients / 5} sessions)`,
    retried: String(tally.retriedResets),
    latency: `${ms(latency(50))} / ${ms(latency(99))} / ${ms(tally.latency.max / 1000)}`,
    delay: `${ms(delay.steady.p50)} / ${ms(delay.steady.p99)} / ${ms(delay.steady.max)}`,
    delayWhole: `${ms(delay.whole.p50)} / ${ms(delay.whole.p99)} / ${ms(delay.whole.max)}`,
    heap: `${first ? mib(first.heapUsed) : '?'} idle; ${mib(heap[0])} → ${mib(heap[1])}`,
    rss: `${first ? mib(first.rss) : '?'} idle; ${mib(rss[0])} → ${mib(rss[1])}`,
  };
}

const verdict = (checks: LoadCheck[], name: LoadCheck['name']) =>
  checks.find((c) => c.name === name)?.passed ? 'PASS' : 'FAIL';

/**
 * One run's table: every figure, then each check's verdict and detail.
 *
 * @example
 * ```ts
 * console.log(runTable(run, loadChecks(run)));
 * ```
 */
export function runTable(run: LoadRun, checks: LoadCheck[]): string {
  const f = figures(run);
  const rows: Array<[string, string]> = [
    ['app / store', `${run.app} / ${run.store}`],
    ['clients, think time', `${run.clients}, ${run.thinkMs} ms mean`],
    ['duration (warm-up)', `${ms(run.elapsedMs / 1000)} s (${ms(run.warmUpMs / 1000)} s)`],
    ['requests', f.requests],
    ['req/s', f.rate],
    ['status counts', f.statuses],
    ['errors by kind', f.errors],
    ['CONFLICT on shared sessions', f.conflicts],
    ['idle keep-alive resets, sent again', f.retried],
    ['client latency p50 / p99 / max (ms)', f.latency],
    ['server loop delay p50 / p99 / max (ms), after warm-up', f.delay],
    ['server loop delay p50 / p99 / max (ms), whole run', f.delayWhole],
    [
      'CPU, share of one core: server / clients',
      `${pct(run.cpu.server)} / ${pct(run.cpu.clients)}`,
    ],
    ['server heap after GC (MiB): idle; early → late', f.heap],
    ['server RSS after GC (MiB): idle; early → late', f.rss],
    ...checks.map((c): [string, string] => [
      `check ${c.name}`,
      `${verdict(checks, c.name)}: ${c.detail}`,
    ]),
  ];
  return ['| figure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join(
    '\n',
  );
}

/**
 * Every run in one Markdown table (as docs/reliability.md shows them).
 *
 * @example
 * ```ts
 * console.log(summaryTable(results));
 * ```
 */
export function summaryTable(results: Array<{ run: LoadRun; checks: LoadCheck[] }>): string {
  const lines = [
    '| app | store | clients | requests | req/s | errors by kind | CONFLICT (shared) | client p50 / p99 (ms) | loop delay p50 / p99 / max (ms) | server CPU | heap early → late (MiB) | RSS early → late (MiB) | errors check | event-loop | memory |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { run, checks } of results) {
    const f = figures(run);
    const { heap, rss } = memoryFigures(run);
    lines.push(
      `| ${run.app} | ${run.store} | ${run.clients} | ${f.requests} | ${f.rate} | ${f.errors} | ${run.tally.contendedConflicts} ` +
        `| ${ms(run.tally.latency.percentile(50) / 1000)} / ${ms(run.tally.latency.percentile(99) / 1000)} | ${f.delay} ` +
        `| ${pct(run.cpu.server)} | ${mib(heap[0])} → ${mib(heap[1])} | ${mib(rss[0])} → ${mib(rss[1])} ` +
        `| ${verdict(checks, 'errors')} | ${verdict(checks, 'event-loop')} | ${verdict(checks, 'memory')} |`,
    );
  }
  return lines.join('\n');
}
