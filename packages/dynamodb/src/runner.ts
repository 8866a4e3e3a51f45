/**
 * How every request is made: bounded by a deadline that also cancels it (the AWS SDK's
 * `abortSignal`), after making sure the table exists, and with one retry when the table turns
 * out to have vanished (DynamoDB Local restarted in memory, or someone deleted it).
 */
import {
  isSessionError,
  type SessionError,
  toSessionError,
  UnavailableError,
} from '@sessions/core';
import { SOURCE } from './options.js';
import { Slots } from './slots.js';
import { errorName, type TableManager } from './table.js';

/** Settings of a {@link RequestRunner}. */
export interface RequestRunnerOptions {
  timeoutMs: number;
  tableName: string;
  /** Whether a missing table is created (lazily, and again after it vanished). */
  createTable: boolean;
  /** Most operations sending requests at once; the others wait (within their deadline). */
  maxConcurrentRequests: number;
}

/** Runs requests against one table with the store's bounds. */
export class RequestRunner {
  table: TableManager | undefined;
  readonly #slots: Slots;

  constructor(private readonly options: RequestRunnerOptions) {
    this.#slots = new Slots(options.maxConcurrentRequests);
  }

  /**
   * One bounded, cancellable request; driver errors come back as they are (the table manager
   * looks at their names). A timeout rejects with `UnavailableError`.
   */
  bounded = <T>(operation: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    this.#withDeadline(operation, (signal) => request(signal));

  /**
   * Run `body` (one request, or a short fixed sequence) as one operation: the table is made
   * ready first when the store creates it, everything shares one deadline and one abort
   * signal, and every failure comes back as a `SessionError` (driver errors as `UNAVAILABLE`
   * with the driver error as `cause`).
   */
  async op<T>(operation: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.#withDeadline(operation, (signal, deadline) =>
        this.#attempt(operation, body, signal, deadline),
      );
    } catch (err) {
      throw this.toSessionError(err, operation);
    }
  }

  async #attempt<T>(
    operation: string,
    body: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
    deadline: number,
  ): Promise<T> {
    const { table } = this;
    const manage = this.options.createTable && table !== undefined;
    if (manage && !table.ready) await table.ensure();
    if (!this.#slots.tryAcquire()) await this.#slots.acquire(signal);
    try {
      // A slot can come free in the very tick this operation's deadline passes, before its
      // timer runs: never start a request that is already late (under a burst, thousands of
      // them would each pay the SDK's CPU cost and delay every other timer).
      if (signal.aborted || performance.now() >= deadline) throw this.#timeoutError(operation);
      return await body(signal);
    } catch (err) {
      // A missing table means nothing was read or written: safe to ensure it and run again.
      if (!manage || errorName(err) !== 'ResourceNotFoundException') throw err;
      table.forget();
      await table.ensure(true);
      if (signal.aborted || performance.now() >= deadline) throw this.#timeoutError(operation);
      return await body(signal);
    } finally {
      this.#slots.release();
    }
  }

  /**
   * Run with a deadline that also cancels: when it passes, the signal aborts (the SDK drops the
   * request, or never sends it) and the operation rejects at once. This is core's
   * `withDeadline` plus cancellation, built on one timer: under a burst, thousands of
   * operations time out in the same tick, and each error they build costs event-loop time.
   */
  #withDeadline<T>(
    operation: string,
    run: (signal: AbortSignal, deadline: number) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const ms = this.options.timeoutMs;
    const deadline = performance.now() + ms;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const timeout = this.#timeoutError(operation);
        controller.abort(timeout.cause);
        reject(timeout);
      }, ms);
      // After a timeout, the late settlement below is ignored (a promise settles once).
      run(controller.signal, deadline).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  /** UNAVAILABLE for an operation out of time, with a `TimeoutError` as its cause. */
  #timeoutError(operation: string): UnavailableError {
    const ms = this.options.timeoutMs;
    // A plain Error named TimeoutError: a DOMException costs several times more to build.
    const cause = Object.assign(new Error(`${operation} timed out after ${ms} ms`), {
      name: 'TimeoutError',
    });
    return new UnavailableError(SOURCE, `${operation} did not complete within ${ms} ms`, { cause });
  }

  /** Map any failure to a `SessionError`; a missing table gets a message that says what to do. */
  toSessionError(err: unknown, operation: string): SessionError {
    if (isSessionError(err)) return err;
    if (errorName(err) === 'ResourceNotFoundException') {
      return new UnavailableError(
        SOURCE,
        `${operation} failed: table "${this.options.tableName}" (or its user index) does not exist; ` +
          'create it with ensureTable() or from the table definition in the README',
        { cause: err },
      );
    }
    return toSessionError(err, SOURCE, operation);
  }
}
