/**
 * How one operation of a store runs, from start to result: the driver prepared first when it
 * has to be, a place taken under the in-flight limit when the store has one, the deadline, the
 * one error-mapping site, and bulk operations page after page.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Deadlines } from './deadlines.js';
import {
  type Awaitable,
  type Cursor,
  NextPage,
  type Paged,
  type StoreDriver,
  type StoredEntry,
} from './driver.js';
import { toFailure } from './failures.js';
import { InFlightLimit } from './in-flight-limit.js';
import { Call, type Operation } from './operation.js';
import type { ResolvedStoreOptions } from './options.js';

/** Runs the operations of one store on its driver. Internal to the kit. */
export class OperationRunner {
  readonly #driver: StoreDriver;
  readonly #source: string;
  readonly #timeout: number;
  readonly #deadlines: Deadlines;
  readonly #limit: InFlightLimit | undefined;
  /** Throws when the store was closed: checked between the pages of a bulk operation. */
  readonly #assertOpen: () => void;
  #prepared: boolean;
  #preparing: Promise<void> | undefined;

  constructor(
    driver: StoreDriver,
    settings: ResolvedStoreOptions<unknown>,
    autoPrepare: boolean,
    assertOpen: () => void,
  ) {
    this.#driver = driver;
    this.#source = settings.source;
    this.#timeout = settings.operationTimeout;
    this.#deadlines = new Deadlines(settings.operationTimeout, settings.source);
    if (settings.maxInFlight > 0) {
      this.#limit = new InFlightLimit(settings.maxInFlight, settings.source);
    }
    this.#prepared = driver.prepare === undefined || !autoPrepare;
    this.#assertOpen = assertOpen;
  }

  /**
   * One call of the driver: prepared first when it has to be, within the in-flight limit
   * (unless `limited` is false: closing, and a store's own extras such as `ensureTable()`),
   * bounded by the deadline when it does not finish at once, its failures mapped, its value
   * turned into the result by `then`. A call that is itself the preparation (`prepares`) does
   * not prepare first.
   */
  run<T, R>(
    name: string,
    now: number,
    attempt: (op: Operation) => Awaitable<T>,
    then: (value: T) => R,
    ms = this.#timeout,
    limited = true,
    prepares = false,
  ): Promise<R> {
    const call = new Call(name, now, ms);
    const limit = limited ? this.#limit : undefined;
    const work: (op: Call) => Awaitable<T> =
      limit === undefined ? attempt : (op) => limit.run(op, () => attempt(op));
    let value: Awaitable<T>;
    try {
      value = this.#prepared || prepares ? work(call) : this.#prepareThen(call, work);
    } catch (err) {
      return Promise.reject(this.#failure(err, name));
    }
    if (value instanceof Promise) {
      return this.#deadlines.track(call, value, then, (err) => this.#failure(err, name));
    }
    try {
      return Promise.resolve(then(value));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A bulk operation, page after page, each under its own deadline, the event loop free between. */
  async paged<T, A>(
    name: string,
    now: number,
    page: (op: Operation, cursor: Cursor | undefined) => Paged<T>,
    fold: (total: A, value: T) => A,
    initial: A,
  ): Promise<A> {
    let total = initial;
    let cursor: Cursor | undefined;
    for (;;) {
      const result = await this.run(name, now, (op) => page(op, cursor), identity);
      if (!(result instanceof NextPage)) return fold(total, result as T);
      total = fold(total, result.value as T);
      cursor = result.next;
      await yieldToEventLoop();
      this.#assertOpen();
    }
  }

  /** A paged listing: the entries of every page, in order. */
  collect(
    name: string,
    now: number,
    page: (op: Operation, cursor: Cursor | undefined) => Paged<StoredEntry[]>,
  ): Promise<StoredEntry[]> {
    return this.paged<StoredEntry[], StoredEntry[]>(name, now, page, concat, []);
  }

  /** A paged count: the sum of every page's. */
  count(
    name: string,
    now: number,
    page: (op: Operation, cursor: Cursor | undefined) => Paged<number>,
  ): Promise<number> {
    return this.paged<number, number>(name, now, page, sum, 0);
  }

  /** Run the driver's `prepare()` now, even when it ran already (`ensureIndexes()` and kin). */
  prepareNow(name: string, now: number, ms: number): Promise<void> {
    const prepare = this.#driver.prepare;
    if (prepare === undefined) return Promise.resolve();
    const work = (op: Operation) =>
      prepare.call(this.#driver, op).then(() => {
        this.#prepared = true;
      });
    // It is the preparation: run() preparing first would prepare twice on a fresh store.
    return this.run(name, now, work, identity, ms, false, true);
  }

  /**
   * Prepare no more: closing must not start a preparation (its backend may be down), nor wait
   * for one, just to close.
   */
  skipPreparation(): void {
    this.#prepared = true;
  }

  /** Prepare once (concurrent calls share the attempt; a failure is retried by the next call). */
  #prepareThen<T>(call: Call, attempt: (op: Call) => Awaitable<T>): Promise<T> {
    this.#preparing ??= (this.#driver.prepare as (op: Operation) => Promise<void>)
      .call(this.#driver, call)
      .then(
        () => {
          this.#prepared = true;
          this.#preparing = undefined;
        },
        (err: unknown) => {
          this.#preparing = undefined;
          throw err;
        },
      );
    return this.#preparing.then(() => attempt(call));
  }

  #failure(err: unknown, operation: string): unknown {
    return toFailure(err, this.#source, operation, this.#driver.classify?.bind(this.#driver));
  }
}

/** The value as it is: for operations whose driver value is the result. */
export function identity<T>(value: T): T {
  return value;
}

function concat<T>(total: T[], page: T[]): T[] {
  // Stryker disable next-line ConditionalExpression: cost only: the first page is taken as it is instead of copied
  if (total.length === 0) return page;
  for (const item of page) total.push(item);
  return total;
}

function sum(total: number, page: number): number {
  return total + page;
}
