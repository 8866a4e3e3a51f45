/**
 * The figures as a table: printed by every outage run, and merged into docs/reliability.md
 * (between `<!-- outage:begin -->` and `<!-- outage:end -->`) when SESSIONS_WRITE_RELIABILITY=1.
 * Each store's test file runs in its own process, so the doc is merged store by store: a run
 * replaces the rows of the stores it measured and keeps the others.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@sessions/test-services';
import type { CasFigures, OutageResult } from './types.js';

/** Where the generated table starts in docs/reliability.md. */
export const BEGIN_MARKER = '<!-- outage:begin -->';
/** Where it ends. */
export const END_MARKER = '<!-- outage:end -->';

const HEADER = [
  'Store',
  'Scenario',
  'Ops ok / failed',
  'Longest wait',
  'Failures by code',
  'Unhandled',
  'Loop delay max / p99',
  'Recovery',
  'In flight at fault',
  'Writes checked',
  'False successes',
  'Verdict',
];

/** A verdict cell: `pass`, `not judged`, or the violations, each cut short. */
function verdict(r: OutageResult): string {
  if (r.violations === undefined) return 'not judged';
  if (r.violations.length === 0) return 'pass';
  const cut = (v: string) => (v.length > 140 ? `${v.slice(0, 139)}…` : v);
  return `FAIL: ${r.violations.map(cut).join('; ')}`;
}

/** What became of the compare-and-set writes whose first attempt was `UNAVAILABLE`. */
function casOutcomes(c: CasFigures): string {
  if (c.unavailable === 0) return `${c.writes} CAS writes, none unavailable`;
  return (
    `${c.writes} CAS writes; ${c.unavailable} unavailable: ${c.resolvedApplied} applied, ` +
    `${c.resolvedNotApplied} not applied, ${c.unresolved} unresolved by retries`
  );
}

const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'never');

/** One result as table cells, in {@link HEADER} order. */
export function resultCells(r: OutageResult): string[] {
  const codes = Object.entries(r.errorCodes)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  const unhandled = r.unhandledRejections.length + r.uncaughtExceptions.length;
  return [
    r.store,
    r.scenario,
    `${r.succeeded} / ${r.failed}${r.hung > 0 ? ` (+${r.hung} hung)` : ''}`,
    `${ms(r.longestWaitMs)} (bound ${ms(r.boundMs)})`,
    codes || '—',
    String(unhandled),
    `${ms(r.eventLoopDelayMaxMs)} / ${ms(r.eventLoopDelayP99Ms)}`,
    r.recoveryMs === undefined ? '—' : ms(r.recoveryMs),
    r.inFlightAtFault === undefined ? '—' : String(r.inFlightAtFault),
    r.compareAndSet
      ? `${r.checkedWrites} (${casOutcomes(r.compareAndSet)})`
      : String(r.checkedWrites),
    String(r.falseSuccesses),
    verdict(r),
  ];
}

const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

/** The results as a Markdown table (also readable as plain text). */
export function outageTable(results: OutageResult[]): string {
  const lines = [row(HEADER), row(HEADER.map(() => '---'))];
  for (const r of results) lines.push(row(resultCells(r)));
  return lines.join('\n');
}

/**
 * Print the results as a table.
 *
 * @example
 * ```ts
 * afterAll(() => printOutageTable(results));
 * ```
 */
export function printOutageTable(results: OutageResult[]): void {
  if (results.length === 0) return;
  console.log(`\nOutage figures (${results[0]?.store ?? ''}):\n${outageTable(results)}\n`);
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/**
 * Replace the table between the markers of `markdown`: the rows of every store in `results`
 * are replaced by its new rows (in the order measured); other stores' rows are kept. Stores
 * are listed alphabetically.
 */
export function mergeIntoMarkdown(markdown: string, results: OutageResult[]): string {
  const begin = markdown.indexOf(BEGIN_MARKER);
  const end = markdown.indexOf(END_MARKER);
  if (begin < 0 || end < begin) {
    throw new Error(`the markers ${BEGIN_MARKER} and ${END_MARKER} are missing or out of order`);
  }
  const byStore = new Map<string, string[]>();
  const add = (store: string, line: string) =>
    byStore.set(store, [...(byStore.get(store) ?? []), line]);
  const measured = new Set(results.map((r) => r.store));
  for (const line of markdown.slice(begin + BEGIN_MARKER.length, end).split('\n')) {
    if (!line.startsWith('|')) continue;
    const store = splitRow(line)[0] ?? '';
    if (store === HEADER[0] || store.startsWith('---') || measured.has(store)) continue;
    add(store, line);
  }
  for (const r of results) add(r.store, row(resultCells(r)));
  const lines = [...byStore.keys()].sort().flatMap((store) => byStore.get(store) ?? []);
  // The load says whether the machine was quiet: timing figures taken beside other work are
  // worth less, and a reader should know.
  const load = (loadavg()[0] ?? 0).toFixed(1);
  const machine =
    `Last written on Node ${process.versions.node}, ${cpus().length} CPU cores, servers on loopback, ` +
    `1-minute load average ${load} at the time.`;
  const table = [row(HEADER), row(HEADER.map(() => '---')), ...lines].join('\n');
  return `${markdown.slice(0, begin)}${BEGIN_MARKER}\n${machine}\n\n${table}\n${markdown.slice(end)}`;
}

/** docs/reliability.md at the workspace root. */
export function reliabilityDocPath(): string {
  return join(workspaceRoot(), 'docs', 'reliability.md');
}

/** Merge `results` into the doc's table (see {@link mergeIntoMarkdown}). */
export function writeReliabilityFigures(
  results: OutageResult[],
  file = reliabilityDocPath(),
): void {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  writeFileSync(file, mergeIntoMarkdown(readFileSync(file, 'utf8'), results));
}

/**
 * What every outage test does at the end: print the table, and write the figures into
 * docs/reliability.md when SESSIONS_WRITE_RELIABILITY=1.
 *
 * @example
 * ```ts
 * const results: OutageResult[] = [];
 * afterAll(() => reportOutage(results));
 * ```
 */
export function reportOutage(results: OutageResult[]): void {
  printOutageTable(results);
  if (process.env.SESSIONS_WRITE_RELIABILITY === '1' && results.length > 0) {
    writeReliabilityFigures(results);
  }
}
