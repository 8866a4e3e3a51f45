/**
 * The clock every check hands its stores: visibility rules are tested by moving it, never by
 * sleeping, so a check is exact and fast on every backend.
 */
import type { Clock } from '@sessions/core';

/**
 * A clock that starts at the real `Date.now()` and moves only when told to.
 *
 * It starts at the real time (not at 0) so that a store with native expiry (Redis PXAT, a TTL
 * index) receives expiry times that are sensible to its server.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const store = new MemoryStore({ clock: clock.now });
 * await store.set('k', { data: {}, expiresAt: clock.now() + 1000 });
 * clock.advance(1000); // the record is now expired, whatever the server holds
 * ```
 */
export class FakeClock {
  #now: number;

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  /** The current time in epoch ms. Bound, so it can be passed on as a {@link Clock}. */
  readonly now: Clock = () => this.#now;

  /** Move the clock forward (or back, with a negative `ms`). Returns the new time. */
  advance(ms: number): number {
    this.#now += ms;
    return this.#now;
  }

  /** Jump to the epoch-ms time `t`. Returns it. */
  set(t: number): number {
    this.#now = t;
    return t;
  }
}
