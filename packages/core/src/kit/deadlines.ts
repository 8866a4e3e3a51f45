/**
 * The one deadline mechanism of every store: a call that has not settled when its time is up
 * rejects with `UNAVAILABLE` (a `TimeoutError` as cause) and its signal aborts.
 *
 * A timer per call is what a simple bound would use, but on a hot path (a Redis `get` costs a
 * few microseconds of client work) creating and clearing one per call cost 4 % of throughput.
 * All of a store's calls share one timeout, so their deadlines come in the order the calls
 * start: one queue and one timer serve them all. A call with a timeout of its own (a table that
 * takes minutes to create) gets its own timer.
 */
import { performance } from 'node:perf_hooks';
import { UnavailableError } from '../errors.js';
import type { Call } from './operation.js';

/**
 * The error of a call that ran out of time: `UNAVAILABLE`, with an `Error` named `TimeoutError`
 * as cause (the name `AbortSignal.timeout()` uses), so callers can tell "timed out" from
 * "refused". A plain Error rather than a DOMException: under a burst thousands of calls time
 * out in the same tick, and a DOMException costs several times more to build.
 */
export function deadlineExceeded(
  source: string,
  operation: string,
  ms: number,
  /** Why, when the store knows better than "out of time" (`"waited 40 ms for earlier writes"`). */
  detail?: string,
): UnavailableError {
  const cause = Object.assign(new Error(`${operation} timed out after ${ms} ms`), {
    name: 'TimeoutError',
  });
  const message = `${operation} did not complete within ${ms} ms`;
  return new UnavailableError(source, detail ? `${message}: ${detail}` : message, { cause });
}

/** The deadlines of one store's calls; see the module comment. Internal to the kit. */
export class Deadlines {
  readonly #ms: number;
  readonly #source: string;
  readonly #calls: Array<Call | undefined> = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number, source: string) {
    this.#ms = ms;
    this.#source = source;
  }

  /** Calls still waiting for their result or their deadline (walks the queue: for tests). */
  get pending(): number {
    let count = 0;
    // Stryker disable next-line OptionalChaining: from the head on, every slot holds a call (only slots behind it are cleared)
    for (let i = this.#head; i < this.#calls.length; i++) if (!this.#calls[i]?.settled) count++;
    return count;
  }

  /**
   * Settle with `work`, mapped by `then`, unless the call's deadline passes first. A failure of
   * `work` goes through `toError`; what `then` throws reaches the caller as it is. Once the
   * deadline has passed, a late result is ignored (and never decoded).
   */
  track<T, R>(
    call: Call,
    work: Promise<T>,
    then: (value: T) => R,
    toError: (err: unknown) => unknown,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      call.reject = reject;
      const own = call.ms === this.#ms ? undefined : this.#ownTimer(call);
      if (own === undefined) this.#add(call);
      work.then(
        (value) => {
          if (call.expired) return;
          this.#settle(call, own);
          try {
            resolve(then(value));
          } catch (err) {
            reject(err);
          }
        },
        (err: unknown) => {
          // Stryker disable next-line ConditionalExpression: the caller was rejected at the deadline, and a promise settles once
          if (call.expired) return;
          this.#settle(call, own);
          reject(toError(err));
        },
      );
    });
  }

  #ownTimer(call: Call): NodeJS.Timeout {
    const timer = setTimeout(() => call.expire(this.#expired(call)), call.ms);
    timer.unref();
    return timer;
  }

  #expired(call: Call): UnavailableError {
    return deadlineExceeded(this.#source, call.name, call.ms);
  }

  #add(call: Call): void {
    const deadline = call.deadline;
    this.#calls.push(call);
    // Stryker disable next-line ConditionalExpression: a second timer only sweeps again (cost only)
    if (this.#timer === undefined) this.#arm(deadline);
  }

  /** Mark a call done and drop the done calls at the head (results come mostly in order). */
  #settle(call: Call, own: NodeJS.Timeout | undefined): void {
    call.settled = true;
    if (own !== undefined) {
      clearTimeout(own);
      return;
    }
    const calls = this.#calls;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,OptionalChaining: memory only: the next sweep drops finished calls too
    while (this.#head < calls.length && calls[this.#head]?.settled) calls[this.#head++] = undefined;
    this.#compact();
  }

  /** Keep the array from growing behind a slow call: reuse it when empty, shift it now and then. */
  // Stryker disable all: memory only (the array is reused or shifted); the soak run watches memory
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

  // Stryker restore all
  /**
   * Wait for the deadline at `at`. The timer is unref'd: it only bounds calls that something
   * else (a socket, a reconnection timer) keeps the process alive for, so an idle store never
   * holds the process open. At least 1 ms: the timer may fire a fraction early, and re-arms.
   */
  #arm(at: number): void {
    // Stryker disable next-line MethodExpression: cost only: a timer that fires early sweeps nothing and re-arms
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(at - performance.now())));
    this.#timer.unref();
  }

  /** Expire every call whose deadline has passed, then wait for the next one. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const calls = this.#calls;
    while (this.#head < calls.length) {
      const call = calls[this.#head] as Call;
      if (!call.settled) {
        // Stryker disable next-line EqualityOperator: a deadline equal to the clock to the fraction of a millisecond expires now or on the next sweep
        if (call.deadline > now) break;
        call.expire(this.#expired(call));
      }
      calls[this.#head++] = undefined;
    }
    this.#compact();
    const next = calls[this.#head];
    if (next !== undefined) this.#arm(next.deadline);
  };
}
