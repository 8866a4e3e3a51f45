/**
 * Failures of work no caller waits for (the periodic prune): one policy for every store. They
 * go to `onBackgroundError`; by default they become process warnings, rate-limited so that a
 * backend down for an hour does not print a warning per tick, and never dropped silently.
 */
import { describeError } from './failures.js';

/** At most one warning per store per this many ms; the others are counted in the next one. */
export const WARNING_INTERVAL_MS = 60_000;

/**
 * The default `onBackgroundError` of a store: `process.emitWarning`, at most one a minute
 * (code `SESSIONS_BACKGROUND_ERROR`), the ones held back counted in the next message.
 *
 * @example
 * ```ts
 * const report = reportToWarnings('@sessions/acme');
 * report(new Error('prune failed')); // (node) Warning: [@sessions/acme] background work failed...
 * ```
 */
export function reportToWarnings(
  source: string,
  now: () => number = Date.now,
): (error: Error) => void {
  let last = Number.NEGATIVE_INFINITY;
  let held = 0;
  return (error) => {
    const at = now();
    if (at - last < WARNING_INTERVAL_MS) {
      held++;
      return;
    }
    last = at;
    const more = held === 0 ? '' : ` (${held} more since the last warning)`;
    held = 0;
    process.emitWarning(`[${source}] background work failed${more}: ${error.message}`, {
      code: 'SESSIONS_BACKGROUND_ERROR',
      detail: error.stack,
    });
  };
}

/** Hand `error` to `report`; a report that throws becomes a warning, never an uncaught error. */
export function reportSafely(report: (error: Error) => void, error: Error, source: string): void {
  try {
    report(error);
  } catch (thrown) {
    process.emitWarning(
      `[${source}] onBackgroundError threw while reporting "${error.message}": ${describeError(thrown)}`,
      { code: 'SESSIONS_BACKGROUND_ERROR' },
    );
  }
}
