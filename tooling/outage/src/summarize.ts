/**
 * Turns one scenario's log into its figures, including the false-success check: every
 * acknowledged write that had to survive is read back through an independent client.
 */
import type { OperationLog } from './operation-log.js';
import type { ProcessFigures } from './process-watch.js';
import type { FaultMarks, OperationSample, OutageResult } from './types.js';

/** Everything {@link summarize} needs about a finished scenario. */
export interface ScenarioRun {
  store: string;
  scenario: string;
  boundMs: number;
  log: OperationLog;
  figures: ProcessFigures;
  /** When the harness stopped waiting for pending operations (they count as hung). */
  gaveUpAt: number;
  /** The fault, if the scenario had one. */
  marks?: FaultMarks;
  /** Whether the fault lost everything the backend held before it. */
  emptiedByFault: boolean;
  readBack(key: string): Promise<boolean>;
  inFlightAtFault?: number;
  /** Whether a failure must carry a `cause` to be acceptable (default true). */
  requireCause?: boolean;
}

const KEEP = 5;

/**
 * Whether an acknowledged write must be in the backend afterwards. A backend that keeps its
 * data must hold every one. One that restarted empty lost what it had acknowledged before it
 * stopped: only a write issued after it stopped answering, or acknowledged after the kill (when
 * nothing the dead server sent could still be arriving), must be there.
 */
export function mustSurvive(
  sample: OperationSample,
  marks: FaultMarks | undefined,
  emptied: boolean,
): boolean {
  if (!marks || !emptied) return true;
  return sample.issuedAt >= marks.stoppedAt || (sample.settledAt ?? 0) >= marks.killedAt;
}

async function readBackWithRetry(readBack: (key: string) => Promise<boolean>, key: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await readBack(key);
    } catch {
      // The checking client can hit a reconnect too; try again before calling it unverified.
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return undefined;
}

async function checkWrites(run: ScenarioRun, writes: OperationSample[]) {
  const missing: string[] = [];
  let unverified = 0;
  let lostWithBackend = 0;
  const verdicts: Array<{ sample: OperationSample; present: boolean | undefined }> = [];
  // Small batches: thousands of parallel reads would measure the checker, not the store.
  for (let i = 0; i < writes.length; i += 32) {
    const batch = writes.slice(i, i + 32);
    const found = await Promise.all(batch.map((s) => readBackWithRetry(run.readBack, s.key)));
    for (const [j, sample] of batch.entries()) verdicts.push({ sample, present: found[j] });
  }
  let checked = 0;
  for (const { sample, present } of verdicts) {
    const required = mustSurvive(sample, run.marks, run.emptiedByFault);
    if (required) checked++;
    if (present === undefined) unverified += required ? 1 : 0;
    else if (!present && required) missing.push(sample.key);
    else if (!present) lostWithBackend++;
  }
  return { missing, unverified, lostWithBackend, checked };
}

/**
 * Build the {@link OutageResult} of a finished scenario.
 *
 * @example
 * ```ts
 * const result = await summarize({ store: 'redis', scenario: 'idle kill', boundMs: 2000, log,
 *   figures: await watch.stop(), gaveUpAt: now(), emptiedByFault: true, readBack });
 * ```
 */
export async function summarize(run: ScenarioRun): Promise<OutageResult> {
  const requireCause = run.requireCause ?? true;
  const samples = run.log.samples;
  const errorCodes: Record<string, number> = {};
  const badFailures: string[] = [];
  let badFailureCount = 0;
  let longestWaitMs = 0;
  let shortestFailureMs: number | undefined;
  let succeeded = 0;
  let failed = 0;
  let hung = 0;
  for (const s of samples) {
    const waited = (s.settledAt ?? run.gaveUpAt) - s.issuedAt;
    longestWaitMs = Math.max(longestWaitMs, waited);
    if (s.settledAt === undefined) {
      hung++;
      continue;
    }
    if (s.ok) {
      succeeded++;
      continue;
    }
    failed++;
    shortestFailureMs = Math.min(shortestFailureMs ?? waited, waited);
    const code = s.code ?? 'RAW:unknown';
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    if (code !== 'UNAVAILABLE' || (requireCause && !s.hasCause)) {
      badFailureCount++;
      const why = code === 'UNAVAILABLE' ? 'UNAVAILABLE without a cause' : code;
      if (badFailures.length < KEEP) badFailures.push(`${s.kind}: ${why}: ${s.message ?? ''}`);
    }
  }
  const writes = samples.filter((s) => s.kind === 'set' && s.ok);
  const { missing, unverified, lostWithBackend, checked } = await checkWrites(run, writes);
  let recoveryMs: number | undefined;
  const { restartCalledAt, restartedAt } = run.marks ?? {};
  if (restartCalledAt !== undefined && restartedAt !== undefined) {
    const first = run.log.firstSuccessAfter(restartCalledAt);
    recoveryMs =
      first?.settledAt === undefined
        ? Number.POSITIVE_INFINITY
        : Math.max(0, first.settledAt - restartedAt);
  }
  return {
    store: run.store,
    scenario: run.scenario,
    boundMs: run.boundMs,
    attempted: samples.length,
    succeeded,
    failed,
    hung,
    longestWaitMs,
    shortestFailureMs,
    errorCodes,
    badFailures,
    badFailureCount,
    unhandledRejections: run.figures.unhandledRejections,
    uncaughtExceptions: run.figures.uncaughtExceptions,
    eventLoopDelayMaxMs: run.figures.eventLoopDelayMaxMs,
    eventLoopDelayP99Ms: run.figures.eventLoopDelayP99Ms,
    recoveryMs,
    acknowledgedWrites: writes.length,
    checkedWrites: checked,
    falseSuccesses: missing.length,
    falseSuccessKeys: missing.slice(0, KEEP),
    unverifiedWrites: unverified,
    lostWithBackend,
    inFlightAtFault: run.inFlightAtFault,
  };
}
