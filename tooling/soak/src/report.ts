/** The soak's printed table: one row per store, the figures each check compared. */
import { median, phases, type SoakCheck } from './criteria.js';
import type { SoakRun } from './run-soak.js';

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/** The storage figure a row shows for a store: the count of what it holds. */
function mainStorage(run: SoakRun): string | undefined {
  const names = Object.keys(run.windows.at(-1)?.storage ?? {});
  return names.find((n) => /^(rows|keys|entries|documents|liveItems)$/.test(n));
}

/**
 * A Markdown table of the runs (it reads as plain text in a terminal and pastes into
 * docs/reliability.md as it is).
 *
 * @example
 * ```ts
 * console.log(soakTable([{ run, checks: soakChecks(run) }]));
 * ```
 */
export function soakTable(results: Array<{ run: SoakRun; checks: SoakCheck[] }>): string {
  const lines = [
    '| store | processes | duration | ops/s | p99 settled → late (ms) | heap after GC early → late (MiB) | RSS early → late (MiB) | storage early peak → late median | bytes early peak → late median (MiB) | acked writes read back / lost | handles left after close | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { run, checks } of results) {
    const { early, late, settled } = phases(run);
    const ops = run.windows.reduce((s, w) => s + w.ops, 0);
    const maxOver = (ws: typeof early, f: (w: (typeof ws)[number]) => number[]) =>
      median(ws.map((w) => Math.max(...f(w))));
    const storageName = mainStorage(run);
    const bytesName = Object.keys(run.windows.at(-1)?.storage ?? {}).find((n) =>
      /^(totalBytes|usedMemory|tableBytes)$/.test(n),
    );
    const peak = (ws: typeof early, name: string | undefined) =>
      name ? Math.max(...ws.map((w) => w.storage[name] ?? 0)) : Number.NaN;
    const typical = (ws: typeof early, name: string | undefined) =>
      name ? median(ws.map((w) => w.storage[name] ?? 0)) : Number.NaN;
    const readBacks = [...run.windows.map((w) => w.readBack), run.finalReadBack];
    const failed = checks.filter((c) => !c.passed).map((c) => c.name);
    lines.push(
      `| ${run.store} | ${run.processes} | ${Math.round(run.durationMs / 1000)} s | ${Math.round(ops / (run.durationMs / 1000))} ` +
        `| ${median(settled.map((w) => w.p99Ms)).toFixed(2)} → ${median(late.map((w) => w.p99Ms)).toFixed(2)} ` +
        `| ${mib(maxOver(early, (w) => w.heapUsed))} → ${mib(maxOver(late, (w) => w.heapUsed))} ` +
        `| ${mib(maxOver(early, (w) => w.rss))} → ${mib(maxOver(late, (w) => w.rss))} ` +
        `| ${storageName ? `${peak(early, storageName)} → ${typical(late, storageName)} ${storageName}` : '—'} ` +
        `| ${bytesName ? `${mib(peak(early, bytesName))} → ${mib(typical(late, bytesName))} (${bytesName})` : '—'} ` +
        `| ${readBacks.reduce((s, r) => s + r.checked, 0)} / ${readBacks.reduce((s, r) => s + r.lost + r.resurrected, 0)} ` +
        `| ${run.leakedHandles.reduce((s, l) => s + Object.values(l).reduce((a, b) => a + b, 0), 0)} ` +
        `| ${failed.length === 0 ? 'pass' : `FAIL: ${failed.join(', ')}`} |`,
    );
  }
  return lines.join('\n');
}

/** One line per check, for the detail under the table. */
export function checkLines(store: string, checks: SoakCheck[]): string[] {
  return checks.map((c) => `${c.passed ? 'ok  ' : 'FAIL'} ${store} ${c.name}: ${c.detail}`);
}
