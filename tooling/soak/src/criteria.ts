/**
 * Pass or fail for a soak run. Each check compares a late stretch of the run with an early one
 * taken after the warm-up, with a tolerance that the machine's noise stays inside and a leak
 * or drift of the run's length does not (the reasons are in docs/reliability.md, "Soak").
 */
import type { SoakRun, WindowFigures } from './run-soak.js';

/** One check's verdict, with the figures it compared. */
export interface SoakCheck {
  name: 'memory' | 'storage' | 'latency' | 'handles' | 'lost-writes' | 'errors';
  passed: boolean;
  detail: string;
}

const MiB = 2 ** 20;
/** Heap after a full GC: late may exceed early by 10 % + 4 MiB (JIT code, inline caches). */
export const HEAP_TOLERANCE = { ratio: 1.1, slack: 4 * MiB };
/** RSS after a full GC: allocators keep freed pages, so coarser: 25 % + 24 MiB. */
export const RSS_TOLERANCE = { ratio: 1.25, slack: 24 * MiB };
/** Storage, late median over early peak: 25 % + 50 records, or + 8 MiB for bytes (a WAL cycle). */
export const STORAGE_TOLERANCE = { ratio: 1.25, countSlack: 50, byteSlack: 8 * MiB };
/** p99 per window: late may be up to 2× the settled run's + 15 ms (noise on shared cores). */
export const LATENCY_TOLERANCE = { ratio: 2, slackMs: 15 };
/**
 * Storage figures reported but not checked: PostgreSQL's dead tuples and SQLite's main file
 * alone rise and fall (their totals are checked); DynamoDB's expired items stay until its TTL
 * removes them, days late by design (its live items are checked).
 */
const INFORMATIONAL = new Set(['deadTuples', 'fileBytes', 'items']);
/** At least this long is warm-up (churned sessions live up to 4 s, so steady state needs it). */
const MIN_WARM_UP_MS = 6000;

/**
 * The windows a run is judged on: `early`, the fifth after the warm-up; `late`, the last fifth;
 * `settled`, every window after the warm-up before `late` (the broader baseline for latency,
 * whose per-window p99 is the noisiest figure).
 */
export function phases(run: SoakRun): {
  early: WindowFigures[];
  late: WindowFigures[];
  settled: WindowFigures[];
} {
  const n = run.windows.length;
  const fifth = Math.max(1, Math.ceil(n / 5));
  const warmUp = Math.max(fifth, Math.ceil(MIN_WARM_UP_MS / run.windowMs));
  const start = Math.max(0, Math.min(warmUp, n - 2 * fifth));
  return {
    early: run.windows.slice(start, start + fifth),
    late: run.windows.slice(n - fifth),
    settled: run.windows.slice(start, Math.max(start + 1, n - fifth)),
  };
}

/** The median of `values` (NaN for none). */
export function median(values: number[]): number {
  const sorted = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

function memoryCheck(run: SoakRun, early: WindowFigures[], late: WindowFigures[]): SoakCheck {
  const problems: string[] = [];
  const figures: string[] = [];
  for (let p = 0; p < run.processes; p++) {
    const heap = [
      median(early.map((w) => w.heapUsed[p] ?? 0)),
      median(late.map((w) => w.heapUsed[p] ?? 0)),
    ] as const;
    const rss = [
      median(early.map((w) => w.rss[p] ?? 0)),
      median(late.map((w) => w.rss[p] ?? 0)),
    ] as const;
    figures.push(`p${p} heap ${mib(heap[0])}→${mib(heap[1])}, rss ${mib(rss[0])}→${mib(rss[1])}`);
    if (heap[1] > heap[0] * HEAP_TOLERANCE.ratio + HEAP_TOLERANCE.slack)
      problems.push(`p${p} heap grew`);
    if (rss[1] > rss[0] * RSS_TOLERANCE.ratio + RSS_TOLERANCE.slack)
      problems.push(`p${p} rss grew`);
  }
  return {
    name: 'memory',
    passed: problems.length === 0,
    detail: [...problems, ...figures].join('; '),
  };
}

function storageCheck(early: WindowFigures[], late: WindowFigures[]): SoakCheck {
  const problems: string[] = [];
  const figures: string[] = [];
  const names = Object.keys(late.at(-1)?.storage ?? {}).filter((n) => !INFORMATIONAL.has(n));
  for (const name of names) {
    // The early peak against the late median: a spike late in the run (Redis reaping expired
    // keys in sampled cycles, a prune landing just after a window) is not growth; a plateau
    // that moved up is.
    const before = Math.max(...early.map((w) => w.storage[name] ?? 0));
    const after = median(late.map((w) => w.storage[name] ?? 0));
    const isBytes = /bytes|memory/i.test(name);
    const slack = isBytes ? STORAGE_TOLERANCE.byteSlack : STORAGE_TOLERANCE.countSlack;
    figures.push(`${name} ${isBytes ? mib(before) : before}→${isBytes ? mib(after) : after}`);
    if (after > before * STORAGE_TOLERANCE.ratio + slack) problems.push(`${name} grew`);
  }
  if (names.length === 0) problems.push('no storage figures');
  return {
    name: 'storage',
    passed: problems.length === 0,
    detail: [...problems, ...figures].join('; '),
  };
}

function latencyCheck(settled: WindowFigures[], late: WindowFigures[]): SoakCheck {
  const before = median(settled.map((w) => w.p99Ms));
  const after = median(late.map((w) => w.p99Ms));
  const passed = after <= before * LATENCY_TOLERANCE.ratio + LATENCY_TOLERANCE.slackMs;
  return {
    name: 'latency',
    passed,
    detail: `${passed ? '' : 'p99 drifted; '}p99 ${before.toFixed(2)}→${after.toFixed(2)} ms`,
  };
}

function handlesCheck(run: SoakRun): SoakCheck {
  const leaks = run.leakedHandles
    .map((leaked, p) => [p, Object.entries(leaked)] as const)
    .filter(([, entries]) => entries.length > 0)
    .map(([p, entries]) => `p${p}: ${entries.map(([t, n]) => `${n} ${t}`).join(', ')}`);
  return {
    name: 'handles',
    passed: leaks.length === 0,
    detail: leaks.join('; ') || 'none left after close()',
  };
}

function lostWritesCheck(run: SoakRun): SoakCheck {
  const all = [...run.windows.map((w) => w.readBack), run.finalReadBack];
  const checked = all.reduce((s, r) => s + r.checked, 0);
  const lost = all.reduce((s, r) => s + r.lost, 0);
  const resurrected = all.reduce((s, r) => s + r.resurrected, 0);
  const examples = all.flatMap((r) => r.examples).slice(0, 3);
  const passed =
    checked > 0 && lost === 0 && resurrected === 0 && run.counterMismatches.length === 0;
  return {
    name: 'lost-writes',
    passed,
    detail:
      `${checked} acknowledged records read back raw, ${lost} lost, ${resurrected} deleted but stored; ` +
      `${run.increments} counter increments, ${run.counterMismatches.length} counters off` +
      (passed ? '' : `; ${[...examples, ...run.counterMismatches.slice(0, 2)].join('; ')}`),
  };
}

function errorsCheck(run: SoakRun): SoakCheck {
  const errors: Record<string, number> = {};
  for (const w of run.windows)
    for (const [code, n] of Object.entries(w.errors)) errors[code] = (errors[code] ?? 0) + n;
  const entries = Object.entries(errors);
  return {
    name: 'errors',
    passed: entries.length === 0,
    detail: entries.map(([code, n]) => `${n} ${code}`).join(', ') || 'none but contended CONFLICTs',
  };
}

/**
 * Every check of a run.
 *
 * @example
 * ```ts
 * const failed = soakChecks(await runSoak({ backend, durationMs })).filter((c) => !c.passed);
 * ```
 */
export function soakChecks(run: SoakRun): SoakCheck[] {
  const { early, late, settled } = phases(run);
  return [
    memoryCheck(run, early, late),
    storageCheck(early, late),
    latencyCheck(settled, late),
    handlesCheck(run),
    lostWritesCheck(run),
    errorsCheck(run),
  ];
}
