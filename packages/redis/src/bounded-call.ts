/**
 * One operation's bound: every call to Redis settles within `operationTimeout`, as a typed
 * error when it fails. This is core's `withDeadline` reshaped for the hot path: it wraps every
 * `get` and `set`, and a timer per call (created, then cleared a millisecond later) cost 4% of
 * `get` throughput at 64 in flight. All of a store's calls share one timeout, so their
 * deadlines come in the order the calls start: one queue and one timer serve them all.
 */
import { deadlineExceeded } from '@sessions/core';
import { SOURCE, typedError } from './failures.js';

/**
 * Whether the caller was already told the operation failed. Work that would start something
 * new (a script re-sent after NOSCRIPT) checks it: a write must not happen after a timeout.
 */
export interface Deadline {
  readonly passed: boolean;
}

/** One call in flight: settled by its reply, or by the queue when its deadline passes. */
class PendingCall implements Deadline {
  passed = false;
  settled = false;

  constructor(
    readonly deadline: number,
    readonly operation: string,
    readonly reject: (reason: unknown) => void,
  ) {}
}

/**
 * The deadlines of one store's calls, in start order, on one timer. The timer is unref'd: it
 * only bounds calls that something else (a socket, a reconnection timer) keeps the process
 * alive for, so an idle store never holds the process open.
 */
export class DeadlineQueue {
  readonly #calls: Array<PendingCall | undefined> = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  /** Calls still waiting for a reply or their deadline. */
  get pending(): number {
    let count = 0;
    for (let i = this.#head; i < this.#calls.length; i++) if (!this.#calls[i]?.settled) count++;
    return count;
  }

  /**
   * Run `attempt` bounded by the queue's timeout: reject with `UNAVAILABLE` (a `TimeoutError`
   * cause) once the time is up, type any failure of `attempt`, and map its value with `then`.
   * What `then` throws (a `ConflictError`, a `CorruptError`) reaches the caller as it is.
   */
  run<T, R>(
    operation: string,
    attempt: (deadline: Deadline) => Promise<T>,
    then: (value: T) => R,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const call = new PendingCall(performance.now() + this.ms, operation, reject);
      this.#add(call);
      let work: Promise<T>;
      try {
        work = attempt(call);
      } catch (err) {
        work = Promise.reject(err);
      }
      work.then(
        (value) => {
          // Too late: the caller has its error, so do not decode a reply nobody will read.
          if (call.passed) return;
          this.#settle(call);
          try {
            resolve(then(value));
          } catch (err) {
            reject(err);
          }
        },
        (err: unknown) => {
          if (call.passed) return;
          this.#settle(call);
          reject(typedError(err, operation));
        },
      );
    });
  }

  #add(call: PendingCall): void {
    this.#calls.push(call);
    if (this.#timer === undefined) this.#arm(call.deadline);
  }

  /** Mark a call done and drop the done calls at the head (replies come mostly in order). */
  #settle(call: PendingCall): void {
    call.settled = true;
    const calls = this.#calls;
    while (this.#head < calls.length && calls[this.#head]?.settled) calls[this.#head++] = undefined;
    this.#compact();
  }

  /** Keep the array from growing behind a slow call: reuse it when empty, shift it now and then. */
  #compact(): void {
    const calls = this.#calls;
    if (this.#head === calls.length) {
      calls.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= calls.length) {
      calls.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #arm(at: number): void {
    // At least 1 ms: the timer may fire a fraction early by performance.now(), and re-arms.
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(at - performance.now())));
    this.#timer.unref();
  }

  /** Expire every call whose deadline has passed, then wait for the next one. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const calls = this.#calls;
    while (this.#head < calls.length) {
      const call = calls[this.#head] as PendingCall;
      if (!call.settled) {
        if (call.deadline > now) break;
        call.passed = true;
        call.settled = true;
        call.reject(deadlineExceeded(SOURCE, call.operation, this.ms));
      }
      calls[this.#head++] = undefined;
    }
    this.#compact();
    const next = calls[this.#head];
    if (next !== undefined) this.#arm(next.deadline);
  };
}
