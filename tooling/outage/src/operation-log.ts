/**
 * Records every operation the harness issues: when it was issued, when and how it settled.
 * Nothing here ever rejects, so a misbehaving store cannot break the harness itself.
 */
import { performance } from 'node:perf_hooks';
import { isSessionError } from '@sessions/core';
import type { OperationKind, OperationSample } from './types.js';

/** Milliseconds on the monotonic clock every mark of the harness uses. */
export const now = (): number => performance.now();

/** How a failure is classified: its code, whether it carries a cause, its message. */
export function classifyError(err: unknown): { code: string; hasCause: boolean; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (isSessionError(err)) return { code: err.code, hasCause: err.cause !== undefined, message };
  const name = err instanceof Error ? err.name : typeof err;
  return {
    code: `RAW:${name}`,
    hasCause: err instanceof Error && err.cause !== undefined,
    message,
  };
}

/**
 * The log of one scenario's operations.
 *
 * @example
 * ```ts
 * const log = new OperationLog();
 * void log.track('get', key, () => store.get(key));
 * await log.drain(5_000);
 * ```
 */
export class OperationLog {
  /** Every operation, in the order issued. */
  readonly samples: OperationSample[] = [];
  #pending = new Set<Promise<void>>();
  #unsettled = 0;
  #lastSettledAt = 0;

  /** Operations issued and not settled yet (exact at any moment, also inside a settle callback). */
  get pendingCount(): number {
    return this.#unsettled;
  }

  /** When the latest operation settled (0 before any did). */
  get lastSettledAt(): number {
    return this.#lastSettledAt;
  }

  /**
   * Issue `op` and record its outcome. The returned promise always resolves (to whether the
   * operation succeeded); a synchronous throw counts as a failure like a rejection.
   */
  track(kind: OperationKind, key: string, op: () => Promise<unknown>): Promise<boolean> {
    const sample: OperationSample = { kind, key, issuedAt: now(), settledAt: undefined, ok: false };
    this.samples.push(sample);
    this.#unsettled += 1;
    const settle = (err?: unknown, failed = false): boolean => {
      this.#unsettled -= 1;
      sample.settledAt = now();
      this.#lastSettledAt = sample.settledAt;
      if (failed) Object.assign(sample, classifyError(err));
      else sample.ok = true;
      return !failed;
    };
    let running: Promise<unknown>;
    try {
      running = op();
    } catch (err) {
      running = Promise.reject(err);
    }
    const done = Promise.resolve(running).then(
      () => settle(),
      (err: unknown) => settle(err, true),
    );
    const tracked = done.then(() => undefined);
    this.#pending.add(tracked);
    void tracked.then(() => this.#pending.delete(tracked));
    return done;
  }

  /**
   * Wait until nothing has settled for `quietMs` (at most `maxMs`): the acknowledgements a
   * frozen server had already put on the wire have then been read.
   */
  async quiesce(quietMs: number, maxMs: number): Promise<void> {
    const started = now();
    while (now() - started < maxMs) {
      const since = now() - Math.max(this.#lastSettledAt, started);
      if (since >= quietMs) return;
      await sleep(Math.min(quietMs - since, maxMs - (now() - started)));
    }
  }

  /** Wait for every pending operation, at most `maxMs`; resolves to how many still wait. */
  async drain(maxMs: number): Promise<number> {
    const deadline = now() + maxMs;
    while (this.#pending.size > 0 && now() < deadline) {
      await Promise.race([Promise.all([...this.#pending]), sleep(deadline - now())]);
    }
    return this.#pending.size;
  }

  /** The first success settled at or after `t`, if any. */
  firstSuccessAfter(t: number): OperationSample | undefined {
    let first: OperationSample | undefined;
    for (const s of this.samples) {
      if (s.ok && s.settledAt !== undefined && s.settledAt >= t) {
        if (!first || s.settledAt < (first.settledAt ?? Number.POSITIVE_INFINITY)) first = s;
      }
    }
    return first;
  }
}

/** Wait `ms` milliseconds (negative counts as 0). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Wait for `promises`, but never longer than `ms`: a scenario must finish even when the store
 * under test hangs (the harness reports the hang; it must not share it).
 */
export async function within(ms: number, ...promises: Array<Promise<unknown>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(promises).then(() => undefined), cap]);
  clearTimeout(timer);
}
