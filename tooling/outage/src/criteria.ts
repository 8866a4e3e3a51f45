/**
 * The pass criteria of issue 10, as one function: every violated criterion becomes a sentence,
 * so a test asserts `expect(outageViolations(result)).toEqual([])` and a failure reads plainly.
 */
import type { OutageResult } from './types.js';

/**
 * Scheduling slack added to the bound: timers on a busy 2-core machine fire late by tens of
 * milliseconds, and the harness measures from just before the call to just after the
 * settlement. 250 ms absorbs that without letting a store that waits its bound twice pass.
 */
export const DEFAULT_SLACK_MS = 250;

/** Options of {@link outageViolations}. */
export interface CriteriaOptions {
  /** Added to the result's bound before a wait counts as too long (default 250 ms). */
  slackMs?: number;
  /** Longest allowed time from the restart to the first success (default 1000 ms). */
  recoveryWithinMs?: number;
  /**
   * The fault must show: at least one operation failed (default true). A run where nothing
   * failed although the server was killed means the fault never happened, or the store hid it.
   */
  faultMustShow?: boolean;
  /** Largest allowed event-loop stall, in ms (not checked unless given). */
  maxEventLoopDelayMs?: number;
  /** Failures must not come earlier than this, in ms: "fails at the bound" (not checked unless given). */
  minFailureWaitMs?: number;
}

function keysNote(keys: string[]): string {
  return keys.length > 0 ? ` (e.g. ${keys.join(', ')})` : '';
}

/**
 * Every pass criterion `result` violates, as sentences; empty when it passes.
 *
 * Criteria: no false successes and every required write verified; no hung operation and no
 * wait beyond the bound (plus slack); every failure `UNAVAILABLE` with a `cause`; no unhandled
 * rejection or uncaught exception; when the scenario restarts the backend, a first success
 * within `recoveryWithinMs`; the fault visible (unless told otherwise); and, where the scenario
 * ran compare-and-set writers, none of their rules broken (`result.compareAndSet`).
 *
 * @example
 * ```ts
 * const result = await runIdleKill({ name: 'redis', store, target });
 * expect(outageViolations(result)).toEqual([]);
 * ```
 */
export function outageViolations(result: OutageResult, options: CriteriaOptions = {}): string[] {
  const slack = options.slackMs ?? DEFAULT_SLACK_MS;
  const recoveryWithin = options.recoveryWithinMs ?? 1000;
  const out: string[] = [];
  const ms = (n: number) => `${Math.round(n)} ms`;
  if (result.falseSuccesses > 0) {
    out.push(
      `${result.falseSuccesses} acknowledged writes are not in the backend (false successes)${keysNote(result.falseSuccessKeys)}`,
    );
  }
  if (result.unverifiedWrites > 0) {
    out.push(
      `${result.unverifiedWrites} acknowledged writes could not be read back to verify them`,
    );
  }
  for (const sentence of result.compareAndSet?.violations ?? []) {
    out.push(`compare-and-set: ${sentence}`);
  }
  if (result.hung > 0) out.push(`${result.hung} operations never settled (hung)`);
  if (result.longestWaitMs > result.boundMs + slack) {
    out.push(
      `an operation waited ${ms(result.longestWaitMs)}, over the ${ms(result.boundMs)} bound`,
    );
  }
  if (result.badFailureCount > 0) {
    out.push(
      `${result.badFailureCount} failures were not UNAVAILABLE with a cause: ${result.badFailures.join(' | ')}`,
    );
  }
  if (result.unhandledRejections.length > 0) {
    out.push(`unhandled rejections: ${result.unhandledRejections.slice(0, 5).join(' | ')}`);
  }
  if (result.uncaughtExceptions.length > 0) {
    out.push(`uncaught exceptions: ${result.uncaughtExceptions.slice(0, 5).join(' | ')}`);
  }
  if (result.recoveryMs !== undefined && !(result.recoveryMs <= recoveryWithin)) {
    const took = Number.isFinite(result.recoveryMs) ? ms(result.recoveryMs) : 'never';
    out.push(`first success after the restart took ${took}, over ${ms(recoveryWithin)}`);
  }
  if ((options.faultMustShow ?? true) && result.failed === 0) {
    out.push('no operation failed: the fault did not show (was the backend really stopped?)');
  }
  if (result.succeeded === 0) out.push('no operation succeeded at all');
  if (
    options.maxEventLoopDelayMs !== undefined &&
    result.eventLoopDelayMaxMs >= options.maxEventLoopDelayMs
  ) {
    out.push(
      `the event loop stalled ${ms(result.eventLoopDelayMaxMs)}, at or over ${ms(options.maxEventLoopDelayMs)}`,
    );
  }
  if (
    options.minFailureWaitMs !== undefined &&
    result.shortestFailureMs !== undefined &&
    result.shortestFailureMs < options.minFailureWaitMs
  ) {
    out.push(
      `an operation failed after ${ms(result.shortestFailureMs)}, before the bound (expected ≥ ${ms(options.minFailureWaitMs)})`,
    );
  }
  return out;
}

/**
 * Judge `result` against the criteria and keep the verdict on it (the report prints it), then
 * return the violations for the test to assert.
 *
 * @example
 * ```ts
 * expect(judgeOutage(result)).toEqual([]);
 * ```
 */
export function judgeOutage(result: OutageResult, options: CriteriaOptions = {}): string[] {
  result.violations = outageViolations(result, options);
  return result.violations;
}
