/**
 * A counting semaphore for requests in flight, with a deadline-aware queue.
 *
 * Why a limit: each AWS SDK request costs a millisecond or two of CPU across a dozen
 * asynchronous middleware steps; thousands started at once advance in lockstep, none reaches
 * the network before the others, and the event loop is saturated so long that deadlines fire
 * seconds late. Held in a plain queue instead, waiting costs nothing, and an operation whose
 * deadline passes leaves the queue (its signal aborts) without ever being sent.
 *
 * Why shedding: operations issued together share a deadline; when the backend cannot serve
 * them all in time, thousands would otherwise time out in the same tick, and building and
 * delivering all those errors at once delays the last of them well past the bound. Once
 * requests have completed, the queue knows how long one takes: a waiter that could not start
 * before its deadline even if requests got twice as fast is turned away at once.
 */
import { performance } from 'node:perf_hooks';
import type { Operation } from '@sessions/core/kit';

/** The reason a waiter is turned away by {@link Slots} shedding (the cause of its UNAVAILABLE). */
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

/** Request slots of one store. Internal. */
export class Slots {
  readonly #capacity: number;
  #free: number;
  /** Waiters in arrival order; a Set so an abandoned waiter leaves in O(1). */
  readonly #waiting = new Set<Waiter>();
  /** Moving average of how long a request holds its slot, in ms (0: none finished yet). */
  #holdMs = 0;
  #lastShed = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#free = capacity;
  }

  /**
   * Take a slot: at once (no promise) when one is free, else a place in the queue that is left
   * when `op`'s signal aborts (the kit has already told the caller).
   */
  acquire(op: Operation): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise<void>((grant, refuse) => {
      const waiter: Waiter = { grant, refuse, deadline: op.deadline };
      this.#waiting.add(waiter);
      op.signal.addEventListener(
        'abort',
        () => {
          if (this.#waiting.delete(waiter)) refuse(op.signal.reason);
        },
        { once: true },
      );
    });
  }

  /**
   * Give a slot back: to the longest waiter, or to the pool. `heldMs`: how long a request held
   * it (omitted when none was sent).
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

  /** Turn every waiter away with `reason` (none of them has taken a slot). */
  refuseAll(reason: unknown): void {
    const refused = [...this.#waiting];
    this.#waiting.clear();
    for (const waiter of refused) waiter.refuse(reason);
  }

  /** Turn away the waiters that could not start before their deadline even at double speed. */
  #shedHopeless(): void {
    const now = performance.now();
    if (this.#waiting.size <= this.#capacity || now - this.#lastShed < SHED_INTERVAL_MS) return;
    this.#lastShed = now;
    // Slots come free at about capacity / holdMs per ms: the waiter with `ahead` waiters
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
          `${this.#waiting.size + 1} operations were queued for ${this.#capacity} request slots ` +
            `(about ${Math.round(this.#holdMs)} ms per request): this one could not start before its deadline`,
        ),
      );
    }
  }
}
