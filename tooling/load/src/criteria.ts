/**
 * Pass or fail for a load run. The reasons for each bound are in docs/reliability.md,
 * "Load through HTTP".
 */
import { HEAP_TOLERANCE, median, RSS_TOLERANCE } from '@sessions/soak';
import type { LoadRun } from './run-load.js';
import type { MemorySample } from './server-messages.js';

/** One check's verdict, with the figures it compared. */
export interface LoadCheck {
  name: 'errors' | 'event-loop' | 'memory';
  passed: boolean;
  detail: string;
}

/** The server's event-loop delay p99 after warm-up must stay under this. */
export const DELAY_P99_LIMIT_MS = 50;

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/**
 * The memory samples a run is judged on: `early`, the first fifth of the samples taken after
 * the warm-up; `late`, the last fifth (each at least one sample).
 */
export function memoryPhases(run: LoadRun): { early: MemorySample[]; late: MemorySample[] } {
  const settled = run.memory.filter((s) => s.at >= run.warmUpMs);
  const fifth = Math.max(1, Math.floor(settled.length / 5));
  return { early: settled.slice(0, fifth), late: settled.slice(-fifth) };
}

/** Early and late medians of heap and RSS after GC, in bytes. */
export function memoryFigures(run: LoadRun) {
  const { early, late } = memoryPhases(run);
  return {
    heap: [median(early.map((s) => s.heapUsed)), median(late.map((s) => s.heapUsed))] as const,
    rss: [median(early.map((s) => s.rss)), median(late.map((s) => s.rss))] as const,
  };
}

function errorsCheck(run: LoadRun): LoadCheck {
  const { tally } = run;
  const entries = Object.entries(tally.errors);
  const problems = entries.map(([kind, n]) => `${n} ${kind}`);
  if (tally.requests === 0) problems.push('no request answered');
  return {
    name: 'errors',
    passed: problems.length === 0,
    detail:
      problems.length === 0
        ? `none (${tally.contendedConflicts} CONFLICT on the ${run.sharedClients} clients sharing sessions)`
        : `${problems.join(', ')}; e.g. ${tally.examples.join('; ')}`,
  };
}

function delayCheck(run: LoadRun): LoadCheck {
  const { steady } = run.delay;
  const passed = steady.samples > 0 && steady.p99 < DELAY_P99_LIMIT_MS;
  return {
    name: 'event-loop',
    passed,
    detail: `p99 ${steady.p99.toFixed(1)} ms after warm-up (limit ${DELAY_P99_LIMIT_MS} ms, ${steady.samples} samples)`,
  };
}

function memoryCheck(run: LoadRun): LoadCheck {
  const { heap, rss } = memoryFigures(run);
  const problems: string[] = [];
  if (Number.isNaN(heap[0]) || Number.isNaN(heap[1])) problems.push('no sample after warm-up');
  if (heap[1] > heap[0] * HEAP_TOLERANCE.ratio + HEAP_TOLERANCE.slack) problems.push('heap grew');
  if (rss[1] > rss[0] * RSS_TOLERANCE.ratio + RSS_TOLERANCE.slack) problems.push('rss grew');
  return {
    name: 'memory',
    passed: problems.length === 0,
    detail: [
      ...problems,
      `heap ${mib(heap[0])}→${mib(heap[1])} MiB, rss ${mib(rss[0])}→${mib(rss[1])} MiB (after GC, early→late median)`,
    ].join('; '),
  };
}

/**
 * Every check of a run: `errors` (none but CONFLICT on the shared sessions), `event-loop`
 * (p99 under {@link DELAY_P99_LIMIT_MS} after warm-up), `memory` (heap and RSS after GC do
 * not grow from early to late, within the soak's tolerances).
 *
 * @example
 * ```ts
 * const failed = loadChecks(run).filter((check) => !check.passed);
 * ```
 */
export function loadChecks(run: LoadRun): LoadCheck[] {
  return [errorsCheck(run), delayCheck(run), memoryCheck(run)];
}
