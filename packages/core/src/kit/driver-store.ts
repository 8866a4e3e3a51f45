/**
 * `DriverStore`: a full `SessionStore` from a backend's primitives. Everything that is the same
 * for every backend lives here, once: validation before any I/O, the closed guard, the codec and
 * the size limit, visibility by the application clock, `set` and `touch` into the past, the one
 * error-mapping site, the one deadline, paged bulk operations, one-time preparation and the
 * background prune.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ClosedError, ConflictError } from '../errors.js';
import type {
  BaseStoreOptions,
  DeleteByUserOptions,
  PruningStoreOptions,
  SessionData,
  SessionRecord,
  SessionStore,
  SetOptions,
  SetResult,
  StoredSession,
} from '../types.js';
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
} from '../validate.js';
import { Deadlines } from './deadlines.js';
import {
  type Awaitable,
  CONFLICT,
  type Conflict,
  type Cursor,
  NextPage,
  type Paged,
  type StoreDriver,
  type StoredEntry,
  type StoredRecord,
} from './driver.js';
import { toFailure } from './failures.js';
import { Call, type Operation } from './operation.js';
import { type ResolvedStoreOptions, resolveStoreOptions, type StoreSpec } from './options.js';
import { PruneScheduler } from './prune-scheduler.js';
import { encodeData, toLiveRecord, toLiveSessions } from './records.js';

/** How a {@link DriverStore} subclass builds its driver, from the resolved options. */
export type DriverFactory<D, Driver> = (options: ResolvedStoreOptions<D>) => Driver;

/** What {@link DriverStore}'s constructor needs beyond the options. */
export interface DriverStoreSetup<D, Driver> extends StoreSpec {
  /** Builds the driver once the shared options are resolved (the namespace is known). */
  driver: DriverFactory<D, Driver>;
  /**
   * Run the driver's `prepare()` before the first operation (default true). When false, it runs
   * only when the store calls {@link DriverStore.prepareNow} (e.g. an `ensureIndexes()`).
   */
  autoPrepare?: boolean;
  /** Whether the background prune runs (default true, for stores with `prune()`). */
  backgroundPrune?: boolean;
}

const NO_RESULT = { version: 0 };

/**
 * A `SessionStore` over a {@link StoreDriver}. Extend it with the backend's constructor and
 * any backend-specific extras; the contract methods are all here.
 *
 * @typeParam D - the session data type.
 * @typeParam Driver - the backend's driver.
 *
 * @example
 * ```ts
 * export class AcmeStore<D = SessionData> extends DriverStore<D, AcmeDriver> {
 *   constructor(options: AcmeStoreOptions<D>) {
 *     super(options, { source: '@acme/sessions', driver: (o) => new AcmeDriver(o, options) });
 *   }
 * }
 * ```
 */
export class DriverStore<D = SessionData, Driver extends StoreDriver = StoreDriver>
  implements SessionStore<D>
{
  readonly maxPayloadBytes: number;
  /** The bound on one operation (one page of a bulk operation), in ms. */
  readonly operationTimeout: number;
  /** The backend's primitives. */
  protected readonly driver: Driver;
  /** The resolved shared options. */
  protected readonly settings: ResolvedStoreOptions<D>;
  readonly #deadlines: Deadlines;
  readonly #scheduler: PruneScheduler | undefined;
  #closed = false;
  #prepared: boolean;
  #preparing: Promise<void> | undefined;

  /**
   * Resolve and validate the shared options, then build the driver (and the background prune
   * of a {@link PruningDriverStore}).
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(
    options: BaseStoreOptions<D> | PruningStoreOptions<D> | undefined,
    setup: DriverStoreSetup<D, Driver>,
    /** Set by {@link PruningDriverStore}: the store has `prune()` and a background prune. */
    pruning = false,
  ) {
    this.settings = resolveStoreOptions(options, setup, pruning);
    this.maxPayloadBytes = this.settings.maxPayloadBytes;
    this.operationTimeout = this.settings.operationTimeout;
    this.#deadlines = new Deadlines(this.operationTimeout, this.settings.source);
    this.driver = setup.driver(this.settings);
    this.#prepared = this.driver.prepare === undefined || setup.autoPrepare === false;
    const interval = this.settings.pruneInterval;
    if (pruning && interval > 0 && setup.backgroundPrune !== false) {
      const { onBackgroundError, source } = this.settings;
      this.#scheduler = new PruneScheduler(
        () => this.runPrune(),
        interval,
        onBackgroundError,
        source,
      );
    }
  }

  get(key: string): Promise<SessionRecord<D> | undefined> {
    try {
      this.#assertOpen();
      assertValidKey(key, this.settings.source);
    } catch (err) {
      return Promise.reject(err);
    }
    const now = this.settings.clock();
    return this.#run(
      'get',
      now,
      (op) => this.driver.get(key, op),
      (stored: StoredRecord | undefined) =>
        stored === undefined ? undefined : toLiveRecord(this.settings, key, stored, now),
    );
  }

  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    let data: string;
    const ifVersion = options?.ifVersion;
    try {
      this.#assertOpen();
      assertValidSet<D>(key, record, ifVersion, this.settings.source);
      data = encodeData(this.settings, record.data);
    } catch (err) {
      return Promise.reject(err);
    }
    const now = this.settings.clock();
    const { expiresAt, userId } = record;
    if (expiresAt <= now) {
      // Setting an expired record deletes it (after the compare-and-set check) and stores nothing.
      return this.#run(
        'set',
        now,
        (op) => this.driver.delete(key, ifVersion, op),
        (removed) => this.#unlessConflict(removed, NO_RESULT),
      );
    }
    const write = { key, data, expiresAt, userId, ifVersion };
    return this.#run(
      'set',
      now,
      (op) => this.driver.set(write, op),
      (version) => this.#unlessConflict(version, { version: version as number }),
    );
  }

  touch(key: string, expiresAt: number): Promise<boolean> {
    try {
      this.#assertOpen();
      assertValidKey(key, this.settings.source);
      assertValidExpiresAt(expiresAt, this.settings.source);
    } catch (err) {
      return Promise.reject(err);
    }
    const now = this.settings.clock();
    // Touching into the past ends the session: removed like a delete, true if it was live.
    if (expiresAt <= now)
      return this.#run('touch', now, (op) => this.driver.delete(key, undefined, op), isTrue);
    return this.#run('touch', now, (op) => this.driver.touch(key, expiresAt, op), isTrue);
  }

  delete(key: string): Promise<boolean> {
    try {
      this.#assertOpen();
      assertValidKey(key, this.settings.source);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(
      'delete',
      this.settings.clock(),
      (op) => this.driver.delete(key, undefined, op),
      isTrue,
    );
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#assertOpen();
    assertValidUserId(userId, this.settings.source);
    const now = this.settings.clock();
    const entries = await this.#paged<StoredEntry[], StoredEntry[]>(
      'listByUser',
      now,
      (op, cursor) => this.driver.listByUser(userId, op, cursor),
      concat,
      [],
    );
    return toLiveSessions(this.settings, entries, now, userId);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#assertOpen();
    const { source } = this.settings;
    assertValidUserId(userId, source);
    const except = options?.except;
    if (except !== undefined) assertValidKey(except, source);
    return this.#paged<number, number>(
      'deleteByUser',
      this.settings.clock(),
      (op, cursor) => this.driver.deleteByUser(userId, except, op, cursor),
      sum,
      0,
    );
  }

  /**
   * Every live session of this namespace: a scan on most backends, for admin views.
   *
   * @throws `CORRUPT` ({@link @sessions/core!CorruptError | CorruptError}): a stored record does
   * not decode (reported, never a crash).
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  async list(): Promise<Array<StoredSession<D>>> {
    this.#assertOpen();
    const now = this.settings.clock();
    const entries = await this.#paged<StoredEntry[], StoredEntry[]>(
      'list',
      now,
      (op, cursor) => this.driver.list(op, cursor),
      concat,
      [],
    );
    return toLiveSessions(this.settings, entries, now);
  }

  async clear(): Promise<void> {
    this.#assertOpen();
    await this.#paged<void, undefined>(
      'clear',
      this.settings.clock(),
      (op, cursor) => this.driver.clear(op, cursor),
      () => undefined,
      undefined,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler?.stop();
    // Closing needs no preparation: a store whose prepare never succeeded (its backend was
    // down) must not start one now, and wait for it, just to close.
    this.#prepared = true;
    await this.#run('close', this.settings.clock(), (op) => this.driver.close(op), identity);
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run backend-specific work (an `ensureIndexes()`) as an operation of this store: refused once
   * closed, bounded by `operationTimeout` (or `timeoutMs`), failures mapped like every other.
   */
  protected run<T>(
    name: string,
    work: (op: Operation) => Awaitable<T>,
    timeoutMs = this.operationTimeout,
  ): Promise<T> {
    try {
      this.#assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(name, this.settings.clock(), work, identity, timeoutMs);
  }

  /** Run the driver's `prepare()` now, even when it ran already (`ensureIndexes()` and kin). */
  protected prepareNow(name: string, timeoutMs = this.operationTimeout): Promise<void> {
    const prepare = this.driver.prepare;
    if (prepare === undefined) return Promise.resolve();
    return this.run(
      name,
      (op) =>
        prepare.call(this.driver, op).then(() => {
          this.#prepared = true;
        }),
      timeoutMs,
    );
  }

  /** The prune behind `prune()` and the background timer: page by page, each page bounded. */
  protected async runPrune(): Promise<number> {
    this.#assertOpen();
    const prune = this.driver.prune;
    if (prune === undefined) return 0;
    return this.#paged<number, number>(
      'prune',
      this.settings.clock(),
      (op, cursor) => prune.call(this.driver, op, cursor),
      sum,
      0,
    );
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError(this.settings.source);
  }

  #unlessConflict<T>(value: unknown, result: T): T {
    if (value === CONFLICT) throw new ConflictError(this.settings.source);
    return result;
  }

  /**
   * One call of the driver: prepared first when it has to be, bounded by the deadline when it
   * does not finish at once, its failures mapped, its value turned into the result by `then`.
   */
  #run<T, R>(
    name: string,
    now: number,
    attempt: (op: Operation) => Awaitable<T>,
    then: (value: T) => R,
    ms = this.operationTimeout,
  ): Promise<R> {
    const call = new Call(name, now, ms);
    let value: Awaitable<T>;
    try {
      value = this.#prepared ? attempt(call) : this.#prepareThen(call, attempt);
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

  /** Prepare once (concurrent calls share the attempt; a failure is retried by the next call). */
  #prepareThen<T>(call: Call, attempt: (op: Operation) => Awaitable<T>): Promise<T> {
    this.#preparing ??= (this.driver.prepare as (op: Operation) => Promise<void>)
      .call(this.driver, call)
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

  /** A bulk operation, page after page, each under its own deadline, the event loop free between. */
  async #paged<T, A>(
    name: string,
    now: number,
    page: (op: Operation, cursor: Cursor | undefined) => Paged<T>,
    fold: (total: A, value: T) => A,
    initial: A,
  ): Promise<A> {
    let total = initial;
    let cursor: Cursor | undefined;
    for (;;) {
      const result = await this.#run(name, now, (op) => page(op, cursor), identity);
      if (!(result instanceof NextPage)) return fold(total, result as T);
      total = fold(total, result.value as T);
      cursor = result.next;
      await yieldToEventLoop();
      this.#assertOpen();
    }
  }

  #failure(err: unknown, operation: string): unknown {
    return toFailure(err, this.settings.source, operation, this.driver.classify?.bind(this.driver));
  }
}

/**
 * A {@link DriverStore} whose backend does not expire records by itself: it has `prune()`, and
 * runs it in the background every `pruneInterval`.
 *
 * @typeParam D - the session data type.
 * @typeParam Driver - the backend's driver, with its `prune` primitive.
 */
export class PruningDriverStore<
  D = SessionData,
  Driver extends StoreDriver & Required<Pick<StoreDriver, 'prune'>> = StoreDriver &
    Required<Pick<StoreDriver, 'prune'>>,
> extends DriverStore<D, Driver> {
  /**
   * As {@link DriverStore}'s constructor, with `pruneInterval` resolved too.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: PruningStoreOptions<D> | undefined, setup: DriverStoreSetup<D, Driver>) {
    super(options, setup, true);
  }

  /**
   * Physically remove this namespace's expired records now; resolves to how many went.
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  prune(): Promise<number> {
    return this.runPrune();
  }
}

function identity<T>(value: T): T {
  return value;
}

function isTrue(value: boolean | Conflict): boolean {
  return value === true;
}

function concat<T>(total: T[], page: T[]): T[] {
  if (total.length === 0) return page;
  for (const item of page) total.push(item);
  return total;
}

function sum(total: number, page: number): number {
  return total + page;
}
