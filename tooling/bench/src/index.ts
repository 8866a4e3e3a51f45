/**
 * The benchmark runner: each store against the raw work it wraps (a Map, prepared
 * statements, raw driver commands), same payload, same server, printed as a ratio.
 * Benchmarks are not tests: `pnpm bench` prints; nothing here asserts a timing.
 *
 * Also the shared pieces of the interleaved comparisons (`Interleaver`: several systems in
 * alternating slices, ratios as medians with quartiles; CPU per operation here and on a
 * server process from `/proc`; table formatting), used by `@sessions/bench-peers`.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@sessions/core';
import { Bench } from 'tinybench';

/** The four contract operations, as both our store and the raw baseline perform them. */
export interface BenchTarget {
  get(key: string): Promise<unknown>;
  set(key: string, data: Record<string, unknown>, expiresAt: number): Promise<unknown>;
  touch(key: string, expiresAt: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/** The operations measured; `mixed` is 80 % get, 20 % set. */
export type BenchOp = 'get' | 'set' | 'touch' | 'delete' | 'mixed';

/** Options of {@link runStoreBench}. */
export interface StoreBenchOptions {
  /** Row label, e.g. `sqlite (file, WAL)`. */
  title: string;
  /** Our store, usually through {@link storeTarget}. */
  subject: BenchTarget;
  /** The raw work the store wraps, on the same backend. */
  raw: BenchTarget;
  /** Operations in flight at once; default `[1, 64]`. */
  inFlight?: number[];
  /** Operations to measure; default all five. */
  ops?: BenchOp[];
  /** Encoded payload size in bytes; default about 1 KiB. */
  payloadBytes?: number;
  /** Measuring time per task in ms; default 400 (override with BENCH_TIME_MS). */
  timeMs?: number;
}

/** One printed row. */
export interface BenchRow {
  title: string;
  op: BenchOp;
  inFlight: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rawOpsPerSec: number;
  ratio: number;
}

/** A realistic session payload of about `bytes` bytes once JSON-encoded. */
export function makePayload(bytes = 1024): Record<string, unknown> {
  const filler = randomBytes(Math.max(0, bytes - 200))
    .toString('base64')
    .slice(0, Math.max(0, bytes - 200));
  return {
    user: { id: 'u-12345', name: 'Ada Lovelace', roles: ['admin', 'editor'] },
    cart: [
      { sku: 'A-1', qty: 2 },
      { sku: 'B-7', qty: 1 },
    ],
    csrf: 'f3a9c1d2e4b5a6978877665544332211',
    flash: null,
    filler,
  };
}

/** Adapt a {@link SessionStore} to a {@link BenchTarget}. */
export function storeTarget<D>(store: SessionStore<D>): BenchTarget {
  return {
    get: (key) => store.get(key),
    set: (key, data, expiresAt) => store.set(key, { data: data as D, expiresAt }),
    touch: (key, expiresAt) => store.touch(key, expiresAt),
    delete: (key) => store.delete(key),
  };
}

const POOL = 1000;

function keyName(prefix: string, i: number): string {
  return `${prefix}${i.toString(36).padStart(6, '0')}`;
}

/** Run `fn` for `n` keys starting at a rolling cursor, all at once. */
function batch(
  n: number,
  cursor: { i: number },
  fn: (key: string) => Promise<unknown>,
): Promise<unknown> {
  const work: Array<Promise<unknown>> = [];
  for (let j = 0; j < n; j++) work.push(fn(keyName('k', cursor.i++ % POOL)));
  return n === 1 ? (work[0] as Promise<unknown>) : Promise.all(work);
}

async function measure(
  target: BenchTarget,
  op: BenchOp,
  inFlight: number,
  payload: Record<string, unknown>,
  timeMs: number,
) {
  const ttl = () => Date.now() + 3_600_000;
  for (let i = 0; i < POOL; i++) await target.set(keyName('k', i), payload, ttl());
  const cursor = { i: 0 };
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs / 2) });
  const run: Record<BenchOp, () => Promise<unknown>> = {
    get: () => batch(inFlight, cursor, (k) => target.get(k)),
    set: () => batch(inFlight, cursor, (k) => target.set(k, payload, ttl())),
    touch: () => batch(inFlight, cursor, (k) => target.touch(k, ttl())),
    // Deleting requires something to delete: the untimed beforeEach puts the keys back.
    delete: () => batch(inFlight, cursor, (k) => target.delete(k)),
    mixed: () =>
      batch(inFlight, cursor, (k) =>
        Math.random() < 0.8 ? target.get(k) : target.set(k, payload, ttl()),
      ),
  };
  bench.add(
    op,
    run[op],
    op === 'delete'
      ? {
          beforeEach: async () => {
            const start = cursor.i;
            await Promise.all(
              Array.from({ length: inFlight }, (_, j) =>
                target.set(keyName('k', (start + j) % POOL), payload, ttl()),
              ),
            );
          },
        }
      : {},
  );
  await bench.run();
  const result = bench.tasks[0]?.result as
    | { latency?: { mean: number; p50: number; p99: number }; error?: unknown }
    | undefined;
  if (!result?.latency) throw new Error(`benchmark ${op} failed`, { cause: result?.error });
  const { mean, p50, p99 } = result.latency;
  return { opsPerSec: (1000 / mean) * inFlight, p50Ms: p50, p99Ms: p99 };
}

/**
 * Measure `subject` and `raw` for every operation and concurrency level, print the table,
 * and return the rows. Latencies are per batch: with 64 in flight, the time for all 64.
 *
 * @example
 * ```ts
 * await runStoreBench({ title: 'memory', subject: storeTarget(new MemoryStore()), raw: mapTarget() });
 * ```
 */
export async function runStoreBench(options: StoreBenchOptions): Promise<BenchRow[]> {
  const payload = makePayload(options.payloadBytes ?? 1024);
  const timeMs = Number(process.env.BENCH_TIME_MS ?? options.timeMs ?? 400);
  const rows: BenchRow[] = [];
  for (const inFlight of options.inFlight ?? [1, 64]) {
    for (const op of options.ops ?? (['get', 'set', 'touch', 'delete', 'mixed'] as BenchOp[])) {
      const ours = await measure(options.subject, op, inFlight, payload, timeMs);
      const raw = await measure(options.raw, op, inFlight, payload, timeMs);
      rows.push({
        title: options.title,
        op,
        inFlight,
        ...ours,
        rawOpsPerSec: raw.opsPerSec,
        ratio: ours.opsPerSec / raw.opsPerSec,
      });
    }
  }
  printRows(rows);
  return rows;
}

/** Print rows as an aligned table. */
export function printRows(rows: BenchRow[]): void {
  const header = ['store', 'op', 'in flight', 'ops/s', 'p50 ms', 'p99 ms', 'raw ops/s', 'ratio'];
  const lines = rows.map((r) => [
    r.title,
    r.op,
    String(r.inFlight),
    Math.round(r.opsPerSec).toLocaleString('en-US'),
    r.p50Ms.toFixed(3),
    r.p99Ms.toFixed(3),
    Math.round(r.rawOpsPerSec).toLocaleString('en-US'),
    `${r.ratio.toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(fmt(line));
}

export type {
  Contender,
  ContenderResult,
  InterleaverOptions,
  SliceWork,
} from './interleaved.js';
export { Interleaver } from './interleaved.js';
export type {
  ManagerBenchData,
  ManagerBenchOptions,
  ManagerCell,
  ManagerContenderOptions,
} from './manager.js';
export { managerContender, runManagerBench } from './manager.js';
export { ownCpuMicros, processCpuMicros } from './process-cpu.js';
export { formatCost, formatRatio, printTable } from './report.js';
export type { Spread } from './stats.js';
export { quantile, spread } from './stats.js';
