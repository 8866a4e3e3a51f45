/**
 * The manager checks' clock: starts at the real time (so a backend with native expiry gets
 * sensible expiry times) and moves only when a check says so, so timeouts are tested exactly.
 */
import type { Clock } from '@sessions/core';

/** A clock for one check. Internal to the manager checks. */
export class ManualClock {
  #now = Date.now();

  /** The current time in epoch ms; bound, so it can be handed on as a {@link Clock}. */
  readonly now: Clock = () => this.#now;

  /** Move forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }

  /** Jump to the epoch-ms time `t`. */
  set(t: number): void {
    this.#now = t;
  }
}
