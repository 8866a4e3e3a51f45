/**
 * Waiting for SQLite locks without blocking the event loop (SQLite itself must not wait: see
 * `BUSY_TIMEOUT_MS`). An attempt that meets a lock is queued and retried from timers with
 * exponential backoff; while a gate has waiters, new operations queue behind them, in order.
 * The bound is the kit's deadline: the gate gives up a little before it with SQLite's lock error
 * (the caller learns why), and never starts an attempt once the operation expired or its
 * deadline is near, so a caller told "failed" never sees its write happen later.
 */
import { performance } from 'node:perf_hooks';
import { ClosedError } from '@sessions/core';
import type { Operation } from '@sessions/core/kit';
import { SOURCE } from './options.js';

const FIRST_BACKOFF_MS = 1;
const MAX_BACKOFF_MS = 25;
// Once the lock is free, the queue runs in slices of this long: never one long event-loop block.
const DRAIN_SLICE_MS = 8;
// Timers fire late on a busy machine: give up this much before the deadline (on top of one
// busy timeout, which a last attempt may spend), so the gate answers first.
const TIMER_SLACK_MS = 50;

interface Waiter<S> {
  op: Operation;
  giveUpAt: number; // the deadline less one busy timeout and the slack
  work: (session: S) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** True for SQLite's "someone else holds the lock" errors, which are worth retrying. */
export function isLockError(err: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown } | null)?.code));
}

/**
 * Runs synchronous SQLite work, retrying lock errors asynchronously until the deadline. Each
 * attempt runs `enter` (what the work needs: the prepared statements), the work, then `leave`.
 */
export class LockGate<S> {
  readonly #queue: Array<Waiter<S>> = [];
  #timer: NodeJS.Timeout | undefined;
  #backoff = FIRST_BACKOFF_MS;
  #lastLockError: unknown;

  /** `busyTimeoutMs`: how long one attempt may block in SQLite's busy handler. */
  constructor(
    private readonly busyTimeoutMs: number,
    private readonly enter: () => S,
    private readonly leave?: () => void,
  ) {}

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
      const giveUpAt = op.deadline - this.busyTimeoutMs - TIMER_SLACK_MS;
      this.#queue.push({ op, giveUpAt, work, resolve: resolve as (v: unknown) => void, reject });
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
    const head = this.#queue[0];
    if (this.#timer !== undefined || head === undefined) return;
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
    const value = work(this.enter());
    this.leave?.();
    return value;
  }
}
