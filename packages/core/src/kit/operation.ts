/**
 * One call of a store, as a driver sees it: the application clock's `now`, and the deadline
 * with a signal that fires when it passes.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { UnavailableError } from '../errors.js';

/**
 * What every driver primitive receives.
 *
 * @example
 * ```ts
 * get(key, op) {
 *   return client.send(new GetItemCommand({ Key: keyOf(key) }), { abortSignal: op.signal });
 * }
 * ```
 */
export interface Operation {
  /** The store method (or step) this is: `get`, `set`, `prune`... For messages. */
  readonly name: string;
  /**
   * The application clock when the call started: the only "now" that decides what is live.
   * May carry a fraction of a millisecond; stored expiries are whole milliseconds.
   */
  readonly now: number;
  /**
   * Aborted when the deadline passes (its reason a `TimeoutError`): hand it to every client call
   * that can be cancelled, so timed-out work stops instead of finishing in the background.
   * Created on first use: a driver that cannot cancel pays nothing for it.
   */
  readonly signal: AbortSignal;
  /**
   * Run `listener` (with the signal's reason) when the deadline passes, unless the returned
   * function was called first; at once if it has passed already. What `signal` does for a
   * client that takes no signal, for a fraction of the cost: no `AbortController`, no
   * `EventTarget` (measured on PostgreSQL, about 5 µs of CPU per operation).
   *
   * @example
   * ```ts
   * const stop = op.onExpiry(() => connection.cancel());
   * try {
   *   return await connection.query(sql);
   * } finally {
   *   stop();
   * }
   * ```
   */
  onExpiry(listener: (reason: unknown) => void): () => void;
  /** True once the caller has been told the call failed: start nothing new (no late write). */
  readonly expired: boolean;
  /** When the deadline passes, in `performance.now()` milliseconds. */
  readonly deadline: number;
  /** The bound of this call, in ms (for messages: `deadlineExceeded(source, op.name, op.ms)`). */
  readonly ms: number;
  /** Milliseconds left before the deadline (negative once it has passed). */
  remaining(): number;
}

/** The kit's {@link Operation}: also the entry the deadline queue keeps. Internal. */
export class Call implements Operation {
  expired = false;
  /** Settled by its result or by its deadline; the queue drops settled calls. */
  settled = false;
  /** Rejects the caller; set when the call is tracked (a call that finished at once has none). */
  reject: ((reason: unknown) => void) | undefined;
  #deadline = 0;
  #controller: AbortController | undefined;
  #reason: unknown;
  /** The `onExpiry` listeners still waiting; most calls never have one. */
  #onExpiry: Set<(reason: unknown) => void> | undefined;

  constructor(
    readonly name: string,
    readonly now: number,
    /** The bound of this call, in ms. */
    readonly ms: number,
  ) {}

  get deadline(): number {
    // Read lazily: most calls finish before anyone asks, and the clock read is not free.
    if (this.#deadline === 0) this.#deadline = performance.now() + this.ms;
    return this.#deadline;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      // One call's signal lives as long as the call, and a client registers a listener per step
      // of it (server selection, pool checkout, socket...): past ten is normal, not a leak, and
      // Node's MaxListenersExceededWarning would only alarm the application's logs.
      setMaxListeners(0, this.#controller.signal);
      if (this.expired) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  onExpiry(listener: (reason: unknown) => void): () => void {
    if (this.expired) {
      listener(this.#reason);
      return noop;
    }
    this.#onExpiry ??= new Set();
    this.#onExpiry.add(listener);
    return () => this.#onExpiry?.delete(listener);
  }

  remaining(): number {
    return this.deadline - performance.now();
  }

  /** The deadline passed: reject the caller with `error` and abort the signal. */
  expire(error: UnavailableError): void {
    this.expired = true;
    // Stryker disable next-line BooleanLiteral: redundant: an expired call leaves the queue by position (the sweep), and an own-timer call is not queued
    this.settled = true;
    this.#reason = error.cause;
    this.#controller?.abort(error.cause);
    const listeners = this.#onExpiry;
    this.#onExpiry = undefined;
    // As an aborted signal runs its listeners, and before the caller hears (as the signal):
    // each one, and one that throws is reported as uncaught without stopping the others.
    for (const listener of listeners ?? []) {
      try {
        listener(error.cause);
      } catch (err) {
        process.nextTick(() => {
          throw err;
        });
      }
    }
    // Stryker disable next-line OptionalChaining: a call expires only once tracked (by the queue or its own timer), which sets reject
    this.reject?.(error);
  }
}

function noop(): void {}
