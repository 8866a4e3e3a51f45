/**
 * Trying again within an operation's deadline: a backend that answers "not yet" (a table still
 * being created, a batch left partly unprocessed by throttling) is asked again after a growing
 * pause, and the operation gives up before a pause would outlast its deadline, so the caller
 * hears why from the store rather than a bare timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from './operation.js';

/** How the pause between attempts grows: `firstMs`, times `factor` each time, at most `maxMs`. */
export interface Backoff {
  /** The pause after the first attempt, in ms. */
  readonly firstMs: number;
  /** What each pause is multiplied by for the next one (1 keeps it constant). */
  readonly factor: number;
  /** The longest pause, in ms; unbounded when absent (the deadline still bounds the whole). */
  readonly maxMs?: number;
}

/**
 * Run `attempt` until it returns a value other than `undefined`, pausing by `backoff` between
 * attempts (the pause ends early, with the signal's reason, when `op` expires). When the next
 * pause would not fit before the deadline, throw `outOfTime()` instead of waiting for it.
 *
 * @example
 * ```ts
 * const table = await retryWithin(op, { firstMs: 50, factor: 1.5, maxMs: 2000 },
 *   async () => ((await describe()).status === 'ACTIVE' ? table : undefined),
 *   () => new UnavailableError(SOURCE, 'the table was not ready in time'));
 * ```
 */
export async function retryWithin<T>(
  op: Operation,
  backoff: Backoff,
  attempt: () => Promise<T | undefined>,
  outOfTime: () => Error,
): Promise<T> {
  const maxMs = backoff.maxMs ?? Number.POSITIVE_INFINITY;
  for (let pause = backoff.firstMs; ; pause = Math.min(pause * backoff.factor, maxMs)) {
    const done = await attempt();
    if (done !== undefined) return done;
    if (op.remaining() < pause) throw outOfTime();
    await sleep(pause, undefined, { signal: op.signal });
  }
}
