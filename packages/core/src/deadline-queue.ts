/**
 * Bounding every operation of a store on one timer. {@link withDeadline} starts a timer per
 * call; on a hot path (a `get` of a few microseconds of client work) creating and clearing one
 * per call cost the Redis store 4 % of its throughput at 64 in flight. All of a store's calls
 * share one timeout, so their deadlines come in the order the calls start: one queue and one
 * timer serve them all.
 */
import type { SessionError } from './errors.js';
import { deadlineExceeded, toSessionError } from './store-kit.js';

/**
 * Whether the caller was already told the operation failed. Work that would start something
 * new (a script re-sent after NOSCRIPT) checks it: a write must not happen after a timeout.
 */
export interface Deadline {
  readonly passed: boolean;
}

/** Options of {@link DeadlineQueue}. */
export interface DeadlineQueueOptions {
  /** The bound on every call, in ms. */
  ms: number;
  /** The package name errors carry, e.g. `@sessions/redis`. */
  source: string;
  /**
   * How a failure of a call becomes the error its caller gets (default: `toSessionError`,
   * driver errors as `UNAVAILABLE` with the driver error as `cause`).
   */
  toError?: (err: unknown, operation: string) => SessionError;
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
 * The deadlines of one store's calls, in start order, on one timer: what {@link withDeadline}
 * does for one call, for every call of a store at the cost of a queue entry each. The timer is
 * unref'd: it only bounds calls that something else (a socket, a reconnection timer) keeps the
 * process alive for, so an idle store never holds the process open.
 *
 * @example
 * ```ts
 * const deadlines = new DeadlineQueue({ ms: 2000, source: '@sessions/acme' });
 * const record = deadlines.run('get', () => client.get(key), (text) => parse(text));
 * ```
 */
export class DeadlineQueue {
  /** The bound on every call, in ms. */
  readonly ms: number;
  readonly #source: string;
  readonly #toError: (err: unknown, operation: string) => SessionError;
  readonly #calls: Array<PendingCall | undefined> = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DeadlineQueueOptions) {
    this.ms = options.ms;
    this.#source = options.source;
    this.#toError =
      options.toError ?? ((err, operation) => toSessionError(err, this.#source, operation));
  }

  /** Calls still waiting for a reply or their deadline (walks the queue: for tests and diagnostics). */
  get pending(): number {
    let count = 0;
    for (let i = this.#head; i < this.#calls.length; i++) if (!this.#calls[i]?.settled) count++;
    return count;
  }

  /**
   * Run `attempt` bounded by the queue's timeout: reject with `UNAVAILABLE` (a `TimeoutError`
   * cause) once the time is up, turn any failure of `attempt` into a `SessionError`, and map
   * its value with `then` (default: as it is). What `then` throws (a `ConflictError`, a
   * `CorruptError`) reaches the caller as it is.
   */
  run<T, R = T>(
    operation: string,
    attempt: (deadline: Deadline) => Promise<T>,
    then: (value: T) => R = identity as (value: T) => R,
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
          reject(this.#toError(err, operation));
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
        call.reject(deadlineExceeded(this.#source, call.operation, this.ms));
      }
      calls[this.#head++] = undefined;
    }
    this.#compact();
    const next = calls[this.#head];
    if (next !== undefined) this.#arm(next.deadline);
  };
}

function identity<T>(value: T): T {
  return value;
}
