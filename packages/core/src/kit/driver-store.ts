/**
 * `DriverStore`: a full `SessionStore` from a backend's primitives. Everything that is the same
 * for every backend lives here, once: validation before any I/O, the closed guard, the codec and
 * the size limit, visibility by the application clock, `set` and `touch` into the past, and the
 * background prune. How each operation runs (preparation, the in-flight limit, the deadline,
 * error mapping, paging) is `operation-runner.ts`.
 */
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
import {
  type Awaitable,
  CONFLICT,
  type Conflict,
  type StoreDriver,
  type StoredRecord,
} from './driver.js';
import type { Operation } from './operation.js';
import { identity, OperationRunner } from './operation-runner.js';
import {
  type DriverStoreSetup,
  type ResolvedStoreOptions,
  resolveStoreOptions,
} from './options.js';
import { PruneScheduler } from './prune-scheduler.js';
import { encodeData, toLiveRecord, toLiveSessions } from './records.js';

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
  readonly #runner: OperationRunner;
  readonly #scheduler: PruneScheduler | undefined;
  #closed = false;

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
    this.driver = setup.driver(this.settings);
    this.#runner = new OperationRunner(
      this.driver,
      this.settings as ResolvedStoreOptions<unknown>,
      setup.autoPrepare !== false,
      () => this.#assertOpen(),
    );
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
    const refused = this.#refused(() => assertValidKey(key, this.settings.source));
    if (refused) return refused;
    const now = this.settings.clock();
    return this.#runner.run(
      'get',
      now,
      (op) => this.driver.get(key, op),
      (stored: StoredRecord | undefined) =>
        stored === undefined ? undefined : toLiveRecord(this.settings, key, stored, now),
    );
  }

  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    // Stryker disable next-line StringLiteral: always assigned before use: the write is refused when encoding fails
    let data = '';
    const ifVersion = options?.ifVersion;
    const refused = this.#refused(() => {
      assertValidSet<D>(key, record, ifVersion, this.settings.source);
      data = encodeData(this.settings, record.data);
    });
    if (refused) return refused;
    const now = this.settings.clock();
    const { expiresAt, userId } = record;
    if (expiresAt <= now) {
      // Setting an expired record deletes it (after the compare-and-set check) and stores nothing.
      return this.#runner.run(
        'set',
        now,
        (op) => this.driver.delete(key, ifVersion, op),
        (removed) => this.#unlessConflict(removed, NO_RESULT),
      );
    }
    const write = { key, data, expiresAt, userId, ifVersion };
    return this.#runner.run(
      'set',
      now,
      (op) => this.driver.set(write, op),
      (version) => this.#unlessConflict(version, { version: version as number }),
    );
  }

  touch(key: string, expiresAt: number): Promise<boolean> {
    const refused = this.#refused(() => {
      assertValidKey(key, this.settings.source);
      assertValidExpiresAt(expiresAt, this.settings.source);
    });
    if (refused) return refused;
    const now = this.settings.clock();
    // Touching into the past ends the session: removed like a delete, true if it was live.
    if (expiresAt <= now)
      return this.#runner.run('touch', now, (op) => this.driver.delete(key, undefined, op), isTrue);
    return this.#runner.run('touch', now, (op) => this.driver.touch(key, expiresAt, op), isTrue);
  }

  delete(key: string): Promise<boolean> {
    const refused = this.#refused(() => assertValidKey(key, this.settings.source));
    if (refused) return refused;
    return this.#runner.run(
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
    const entries = await this.#runner.collect('listByUser', now, (op, cursor) =>
      this.driver.listByUser(userId, op, cursor),
    );
    return toLiveSessions(this.settings, entries, now, userId);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#assertOpen();
    const { source } = this.settings;
    assertValidUserId(userId, source);
    const except = options?.except;
    if (except !== undefined) assertValidKey(except, source);
    return this.#runner.count('deleteByUser', this.settings.clock(), (op, cursor) =>
      this.driver.deleteByUser(userId, except, op, cursor),
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
    const entries = await this.#runner.collect('list', now, (op, cursor) =>
      this.driver.list(op, cursor),
    );
    return toLiveSessions(this.settings, entries, now);
  }

  async clear(): Promise<void> {
    this.#assertOpen();
    await this.#runner.paged<void, undefined>(
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
    this.#runner.skipPreparation();
    const close = (op: Operation) => this.driver.close(op);
    await this.#runner.run('close', this.settings.clock(), close, identity, undefined, false);
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
    return (
      this.#refused() ??
      this.#runner.run(name, this.settings.clock(), work, identity, timeoutMs, false)
    );
  }

  /** Run the driver's `prepare()` now, even when it ran already (`ensureIndexes()` and kin). */
  protected prepareNow(name: string, timeoutMs = this.operationTimeout): Promise<void> {
    return this.#refused() ?? this.#runner.prepareNow(name, this.settings.clock(), timeoutMs);
  }

  /** The prune behind `prune()` and the background timer: page by page, each page bounded. */
  protected async runPrune(): Promise<number> {
    this.#assertOpen();
    const prune = this.driver.prune;
    if (prune === undefined) return 0;
    return this.#runner.count('prune', this.settings.clock(), (op, cursor) =>
      prune.call(this.driver, op, cursor),
    );
  }

  /** Closed or invalid: the reason as a rejection (never a synchronous throw); else undefined. */
  #refused(validate?: () => void): Promise<never> | undefined {
    try {
      this.#assertOpen();
      validate?.();
      return undefined;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError(this.settings.source);
  }

  #unlessConflict<T>(value: unknown, result: T): T {
    if (value === CONFLICT) throw new ConflictError(this.settings.source);
    return result;
  }
}

function isTrue(value: boolean | Conflict): boolean {
  return value === true;
}
