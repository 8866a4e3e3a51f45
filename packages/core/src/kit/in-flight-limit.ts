/**
 * The kit's bound on operations in flight (a store opts in with `StoreSpec.maxInFlight`): a
 * counting semaphore with a deadline-aware queue, and load shedding.
 *
 * Why a limit: some clients cost real CPU per request (the AWS SDK: a millisecond or two across
 * a dozen asynchronous middleware steps); thousands started at once advance in lockstep, none
 * reaches the network before the others, and the event loop is saturated so long that deadlines
 * fire seconds late. Held in a plain queue instead, waiting costs nothing, and an operation whose
 * deadline passes leaves the queue (its signal aborts) without ever starting.
 *
 * Why shedding: operations issued together share a deadline; when the backend cannot serve them
 * all in time, thousands would otherwise time out in the same tick, and building and delivering
 * all those errors at once delays the last of them well past the bound. Once operations have
 * completed, the queue knows how long one takes: a waiter that could not start before its
 * deadline even if operations got twice as fast is turned away at once.
 */
import { performance } from 'node:perf_hooks';
import { deadlineExceeded } from './deadlines.js';
import type { Awaitable } from './driver.js';
import type { Call } from './operation.js';

/**
 * Why an operation was turned away by the in-flight limit without being started: its queue could
 * not be served before its deadline. The kit reports it as `UNAVAILABLE`, with this as `cause`.
 */
export class OverloadError extends Error {
  override readonly name = 'OverloadError';
}

interface Waiter {
  grant(): void;
  refuse(reason: unknown): void;
  /** `performance.now()` by which it must have started. */
  deadline: number;
}

/** How often (at most) the queue is checked for waiters that cannot make it, in ms. */
const SHED_INTERVAL_MS = 50;
/** Waiters are shed only if they could not start in time even at this speed-up. */
const SHED_SPEEDUP = 2;

/** The in-flight limit of one store. Internal to the kit. */
export class InFlightLimit {
  readonly #capacity: number;
  readonly #source: string;
  #free: number;
  /** Waiters in arrival order; a Set so an abandoned waiter leaves in O(1). */
  readonly #waiting = new Set<Waiter>();
  /** Moving average of how long an operation holds its place, in ms (0: none finished yet). */
  #holdMs = 0;
  #lastShed = 0;

  constructor(capacity: number, source: string) {
    this.#capacity = capacity;
    this.#free = capacity;
    this.#source = source;
  }

  /**
   * Run `work` once a place is free: at once when one is, else after a wait in the queue, which
   * `call`'s deadline ends. A refused connection fails every waiter at once with it as reason:
   * they would meet the same refusal one at a time, until their deadlines all fire together.
   */
  run<T>(call: Call, work: () => Awaitable<T>): Promise<T> {
    const waiting = this.acquire(call);
    if (waiting === undefined) return this.#hold(work);
    return waiting.then(() => {
      // A place can come free in the very tick the deadline passes, before the kit's timer
      // runs: never start work that is already late (under a burst, thousands of them would
      // each pay the client's CPU cost and delay every other timer).
      // Stryker disable next-line EqualityOperator: exactly 0 ms left, to the fraction of a millisecond: late either way
      if (call.expired || call.remaining() <= 0) {
        this.release();
        throw deadlineExceeded(this.#source, call.name, call.ms);
      }
      return this.#hold(work);
    });
  }

  /**
   * Take a place: at once (no promise) when one is free, else a place in the queue that is left
   * when `call`'s signal aborts (the kit has already told the caller).
   */
  acquire(call: Call): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise<void>((grant, refuse) => {
      const waiter: Waiter = { grant, refuse, deadline: call.deadline };
      this.#waiting.add(waiter);
      call.signal.addEventListener(
        'abort',
        () => {
          if (this.#waiting.delete(waiter)) refuse(call.signal.reason);
        },
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once; `once` only frees the listener sooner
        { once: true },
      );
    });
  }

  /**
   * Give a place back: to the longest waiter, or to the pool. `heldMs`: how long the work held
   * it (omitted when none started).
   */
  release(heldMs?: number): void {
    if (heldMs !== undefined) {
      this.#holdMs = this.#holdMs === 0 ? heldMs : this.#holdMs * 0.8 + heldMs * 0.2;
      this.#shedHopeless();
    }
    for (const next of this.#waiting) {
      this.#waiting.delete(next);
      next.grant();
      return;
    }
    this.#free++;
  }

  /** Turn every waiter away with `reason` (none of them has taken a place). */
  refuseAll(reason: unknown): void {
    const refused = [...this.#waiting];
    this.#waiting.clear();
    for (const waiter of refused) waiter.refuse(reason);
  }

  async #hold<T>(work: () => Awaitable<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await work();
    } catch (err) {
      if (isConnectionRefused(err)) this.refuseAll(err);
      throw err;
    } finally {
      this.release(performance.now() - startedAt);
    }
  }

  /** Turn away the waiters that could not start before their deadline even at double speed. */
  #shedHopeless(): void {
    const now = performance.now();
    if (this.#waiting.size <= this.#capacity || now - this.#lastShed < SHED_INTERVAL_MS) return;
    this.#lastShed = now;
    // Places come free at about capacity / holdMs per ms: the waiter with `ahead` waiters
    // before it starts after about (ahead + 1) of them.
    let ahead = 0;
    for (const waiter of [...this.#waiting]) {
      const start = now + ((ahead + 1) * this.#holdMs) / this.#capacity / SHED_SPEEDUP;
      if (start <= waiter.deadline) {
        ahead++;
        continue;
      }
      this.#waiting.delete(waiter);
      waiter.refuse(
        new OverloadError(
          `${this.#waiting.size + 1} operations were queued under a limit of ${this.#capacity} in flight ` +
            `(about ${Math.round(this.#holdMs)} ms each): this one could not start before its deadline`,
        ),
      );
    }
  }
}

/** Nothing listens at the backend's address (Node's `ECONNREFUSED`, from any TCP client). */
function isConnectionRefused(err: unknown): boolean {
  try {
    // Stryker disable next-line OptionalChaining: null.code throws, and the catch below answers false as ?. does
    return (err as { code?: unknown } | null)?.code === 'ECONNREFUSED';
  } catch {
    return false; // a revoked Proxy thrown: not a refused connection
  }
}
