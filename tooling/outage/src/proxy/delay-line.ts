/**
 * One direction of a proxied connection: chunks wait out their own delay and leave in the order
 * they came, as TCP delivers them. A per-chunk timer would not keep that order once delays
 * differ (jitter), so one queue and one timer serve the whole direction.
 */
import { now } from '../operation-log.js';

/**
 * What goes down a {@link DelayLine}: bytes, the end of the stream, or an action to run once
 * everything queued before it has left (a cut that must follow the part of a reply).
 */
export type LineItem = Buffer | 'end' | (() => void);

/**
 * A FIFO whose items each leave no earlier than their due time, and never before an item that
 * came earlier: a chunk given a shorter delay than its predecessor waits for it.
 */
export class DelayLine {
  readonly #deliver: (item: Buffer | 'end') => void;
  readonly #queue: Array<{ due: number; item: LineItem }> = [];
  #timer: NodeJS.Timeout | undefined;
  #lastDue = 0;
  #stopped = false;

  constructor(deliver: (item: Buffer | 'end') => void) {
    this.#deliver = deliver;
  }

  /** Queue `item` to leave `delayMs` from now (or right after the item before it). */
  push(item: LineItem, delayMs: number): void {
    if (this.#stopped) return;
    const due = Math.max(now() + delayMs, this.#lastDue);
    this.#lastDue = due;
    if (delayMs <= 0 && this.#queue.length === 0) {
      this.#emit(item);
      return;
    }
    this.#queue.push({ due, item });
    this.#arm();
  }

  /** Drop everything queued and accept nothing more (the connection is cut). */
  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #emit(item: LineItem): void {
    if (typeof item === 'function') item();
    else this.#deliver(item);
  }

  #arm(): void {
    if (this.#timer || this.#queue.length === 0) return;
    const head = this.#queue[0];
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, (head?.due ?? 0) - now()));
  }

  #flush(): void {
    this.#timer = undefined;
    const t = now();
    while (!this.#stopped && this.#queue.length > 0 && (this.#queue[0]?.due ?? 0) <= t + 0.5) {
      const next = this.#queue.shift();
      if (next) this.#emit(next.item);
    }
    this.#arm();
  }
}
