/**
 * Waiting for SQLite locks without blocking the event loop (see `BUSY_TIMEOUT_MS` for why
 * SQLite itself must not wait). An attempt that meets a lock is queued and retried from timers
 * with exponential backoff; while a gate has waiters, new operations queue behind them, in
 * order, instead of each trying on the main thread.
 *
 * The gate has no bound of its own: it waits on each operation's deadline from the kit, which
 * bounds the promise the gate returns. It gives up a little before that deadline with SQLite's
 * lock error (so the caller learns a lock was the reason, see `SqliteDriver.classify`), and
 * never starts an attempt once the kit has expired the operation or the deadline is near: a
 * caller told "failed" never sees its write happen later.
 */
import { performance } from 'node:perf_hooks';
import { ClosedError } from '@sessions/core';
import type { Operation } from '@sessions/core/kit';
import { SOURCE } from './options.js';

const FIRST_BACKOFF_MS = 1;
const MAX_BACKOFF_MS = 25;
// After the lock frees up, queued operations run in slices of this long, so a long queue
// never turns into one long event-loop block.
const DRAIN_SLICE_MS = 8;
// Timers fire late on a busy machine: operations give up this much before their deadline (on
// top of one busy timeout, which a last attempt may spend), so the gate answers first.
const TIMER_SLACK_MS = 50;

interface Waiter<S> {
  op: Operation;
  /** The operation's deadline less one busy timeout and the slack: when it stops trying. */
  giveUpAt: number;
  work: (session: S) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** True for SQLite's "someone else holds the lock" errors, which are worth retrying. */
export function isLockError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

/**
 * Runs synchronous SQLite work, retrying lock errors asynchronously until the deadline. Each
 * attempt runs `enter` (what the work needs: the prepared statements), the work, then `leave`.
 */
export class LockGate<S> {
  readonly #busyTimeoutMs: number;
  readonly #enter: () => S;
  readonly #leave: (() => void) | undefined;
  readonly #queue: Array<Waiter<S>> = [];
  #timer: NodeJS.Timeout | undefined;
  #backoff = FIRST_BACKOFF_MS;
  #lastLockError: unknown;

  /** `busyTimeoutMs`: how long one attempt may block in SQLite's busy handler. */
  constructor(busyTimeoutMs: number, enter: () => S, leave?: () => void) {
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#enter = enter;
    this.#leave = leave;
  }

  /**
   * Run `work` now if nothing is queued (the common case: its value, no promise, no timer),
   * else queue it. What it throws, other than a lock error, reaches the kit as it is.
   */
  run<T>(op: Operation, work: (session: S) => T): T | Promise<T> {
    if (this.#queue.length === 0) {
      try {
        return this.#attempt(work);
      } catch (err) {
        if (!isLockError(err)) throw err;
        this.#lastLockError = err;
      }
    }
    return new Promise<T>((resolve, reject) => {
      const giveUpAt = op.deadline - this.#busyTimeoutMs - TIMER_SLACK_MS;
      this.#queue.push({
        op,
        giveUpAt,
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#schedule();
    });
  }

  /** Reject every queued operation with `ClosedError` (the store is closing). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiter of this.#queue.splice(0)) waiter.reject(new ClosedError(SOURCE));
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const head = this.#queue[0];
    if (head === undefined) return;
    const untilGiveUp = head.giveUpAt - performance.now();
    this.#timer = setTimeout(this.#drain, Math.max(0, Math.min(this.#backoff, untilGiveUp)));
  }

  readonly #drain = (): void => {
    this.#timer = undefined;
    const sliceEnd = performance.now() + DRAIN_SLICE_MS;
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      const now = performance.now();
      // An attempt may block for a busy timeout: one started this close to the deadline could
      // finish after the caller was told it failed, so the operation gives up now instead.
      if (head.op.expired || now >= head.giveUpAt) {
        this.#queue.shift();
        head.reject(this.#lastLockError);
        continue;
      }
      if (now >= sliceEnd) break;
      try {
        const value = this.#attempt(head.work);
        this.#queue.shift();
        this.#backoff = FIRST_BACKOFF_MS;
        head.resolve(value);
      } catch (err) {
        if (isLockError(err)) {
          this.#lastLockError = err;
          this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
          break;
        }
        this.#queue.shift();
        head.reject(err);
      }
    }
    this.#schedule();
  };

  #attempt<T>(work: (session: S) => T): T {
    const value = work(this.#enter());
    this.#leave?.();
    return value;
  }
}
