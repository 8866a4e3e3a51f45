/**
 * A counting semaphore for requests in flight. Each AWS SDK request costs a millisecond or two
 * of CPU across a dozen asynchronous middleware steps; thousands started at once advance in
 * lockstep, none reaches the network before the others, and the event loop is saturated so
 * long that deadlines fire seconds late. Holding the surplus in a plain queue (where waiting
 * costs nothing and a deadline removes a request before it is ever sent) keeps every
 * operation within its bound under a burst.
 */

/** A place in the queue: resolves when a slot is granted; `cancel` leaves the queue. */
export interface SlotWait {
  readonly granted: Promise<void>;
  cancel(reason: unknown): void;
}

export class Slots {
  #free: number;
  /** Waiters in arrival order (grant, refuse); a Map so an abandoned waiter leaves in O(1). */
  readonly #waiting = new Map<() => void, (reason: unknown) => void>();

  constructor(capacity: number) {
    this.#free = capacity;
  }

  /** Take a slot at once if one is free. */
  tryAcquire(): boolean {
    if (this.#free === 0) return false;
    this.#free--;
    return true;
  }

  /** Queue for a slot. A cancelled wait takes nothing. */
  wait(): SlotWait {
    let cancel: (reason: unknown) => void = () => {};
    const granted = new Promise<void>((resolve, reject) => {
      const grant = () => resolve();
      this.#waiting.set(grant, reject);
      cancel = (reason) => {
        if (this.#waiting.delete(grant)) reject(reason);
      };
    });
    return { granted, cancel };
  }

  /** Give a slot back: to the longest waiter, or to the pool. */
  release(): void {
    for (const next of this.#waiting.keys()) {
      this.#waiting.delete(next);
      next();
      return;
    }
    this.#free++;
  }

  /** Turn every waiter away with `reason` (none of them has taken a slot). */
  refuseAll(reason: unknown): void {
    const refused = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const refuse of refused) refuse(reason);
  }
}
