/**
 * Waiting for SQLite locks without blocking the event loop.
 *
 * better-sqlite3 runs every statement synchronously on the main thread, so any time SQLite
 * spends waiting for a lock (its busy handler sleeps) is time the whole process does nothing.
 * On a connection the store opens the busy timeout is 0: an attempt that meets a lock fails at
 * once, and the gate takes over: the operation is queued and retried from timers with
 * exponential backoff until it succeeds or its deadline passes. While a gate has waiters, new
 * operations queue behind them (in order) instead of each trying on the main thread. On a
 * connection passed in, each attempt may also spend that connection's own busy timeout.
 */
import { performance } from 'node:perf_hooks';
import { ClosedError, toSessionError, UnavailableError } from '@sessions/core';

const FIRST_BACKOFF_MS = 1;
const MAX_BACKOFF_MS = 25;
// After the lock frees up, queued operations run in slices of this long, so a long queue
// never turns into one long event-loop block.
const DRAIN_SLICE_MS = 8;
// Timers fire late on a busy machine: operations give up this much before their bound (on
// top of one busy timeout, which a last attempt may spend), so none ever waits past it.
const TIMER_SLACK_MS = 50;

interface Waiter {
  attempt: () => unknown;
  operation: string;
  deadline: number;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Options of a {@link LockGate}. */
export interface LockGateOptions {
  /** Package name for errors. */
  source: string;
  /** Longest time an operation may wait, in ms (the store's `operationTimeout`). */
  timeoutMs: number;
  /** How long one attempt may block in SQLite's busy handler, in ms. */
  busyTimeoutMs: number;
}

/** True for SQLite's "someone else holds the lock" errors, which are worth retrying. */
export function isLockError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

/**
 * Runs synchronous SQLite work, retrying lock errors asynchronously up to a deadline. Other
 * errors are wrapped as `UnavailableError` (`SessionError`s pass through unchanged).
 */
export class LockGate {
  readonly #options: LockGateOptions;
  readonly #queue: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;
  #backoff = FIRST_BACKOFF_MS;
  #lastLockError: unknown;
  #closed = false;

  constructor(options: LockGateOptions) {
    this.#options = options;
  }

  /**
   * Run `attempt` now if nothing is queued (the common case: no promise, no timer), else
   * queue it. Resolves to what it returns; rejects with what it throws, wrapped.
   */
  run<T>(attempt: () => T, operation: string): T | Promise<T> {
    if (this.#closed) throw new ClosedError(this.#options.source);
    // The clock is read only on the slow path (it costs 0.2 µs on some VMs, a tenth of a read).
    // A failed attempt may have spent a busy timeout already: the deadline counts it.
    let deadline = this.#options.timeoutMs;
    if (this.#queue.length === 0) {
      try {
        return attempt();
      } catch (err) {
        if (!isLockError(err)) throw toSessionError(err, this.#options.source, operation);
        this.#lastLockError = err;
        deadline -= this.#options.busyTimeoutMs;
      }
    }
    deadline += performance.now();
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        attempt,
        operation,
        deadline,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#schedule();
    });
  }

  /** Reject every queued operation with `ClosedError` and refuse new ones. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiter of this.#queue.splice(0))
      waiter.reject(new ClosedError(this.#options.source));
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const head = this.#queue[0];
    if (head === undefined) return;
    const untilGiveUp = this.#giveUpAt(head) - performance.now();
    const delay = Math.max(0, Math.min(this.#backoff, untilGiveUp));
    this.#timer = setTimeout(() => this.#drain(), delay);
  }

  #drain(): void {
    this.#timer = undefined;
    const sliceEnd = performance.now() + DRAIN_SLICE_MS;
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      const now = performance.now();
      // An attempt may block for a busy timeout: starting one this close to the deadline
      // could overrun the bound, so the operation gives up now instead.
      if (now >= this.#giveUpAt(head)) {
        this.#queue.shift();
        head.reject(this.#timeoutError(head));
        continue;
      }
      if (now >= sliceEnd) break;
      try {
        const value = head.attempt();
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
        head.reject(toSessionError(err, this.#options.source, head.operation));
      }
    }
    this.#schedule();
  }

  #giveUpAt(waiter: Waiter): number {
    return waiter.deadline - this.#options.busyTimeoutMs - TIMER_SLACK_MS;
  }

  #timeoutError(waiter: Waiter): UnavailableError {
    return new UnavailableError(
      this.#options.source,
      `${waiter.operation} failed: another connection held the database lock for longer than operationTimeout (${this.#options.timeoutMs} ms)`,
      { cause: this.#lastLockError },
    );
  }
}
