/** Plain-text tables for benchmark results: aligned columns, one row per system. */
import type { ContenderResult } from './interleaved.js';

/**
 * Print a table: `header` then `rows`, the first column left-aligned, the others right-aligned.
 *
 * @example
 * ```ts
 * printTable(['system', 'get'], [['raw', '1.00']]);
 * ```
 */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(fmt(row));
}

/** `0.94 (0.90-0.97)`: a ratio's median and quartiles; `n/a` when not measured. */
export function formatRatio(result: ContenderResult | undefined): string {
  const ratio = result?.ratio;
  if (!ratio) return 'n/a';
  return `${ratio.median.toFixed(2)} (${ratio.q1.toFixed(2)}-${ratio.q3.toFixed(2)})`;
}

/** `12,345/s 8.1|4.2`: median ops/s, client CPU µs/op and (with servers) server CPU µs/op. */
export function formatCost(result: ContenderResult | undefined): string {
  if (!result?.rate) return 'n/a';
  const rate = `${Math.round(result.rate.median).toLocaleString('en-US')}/s`;
  const us = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '?' : v.toFixed(1));
  const cpu =
    result.serverUs === undefined
      ? us(result.clientUs)
      : `${us(result.clientUs)}|${us(result.serverUs)}`;
  return `${rate} ${cpu}`;
}
