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
  withDeadline,
} from '@sessions/core';
import { SOURCE } from './options.js';
import { errorName, type TableManager } from './table.js';

/** Settings of a {@link RequestRunner}. */
export interface RequestRunnerOptions {
  timeoutMs: number;
  tableName: string;
  /** Whether a missing table is created (lazily, and again after it vanished). */
  createTable: boolean;
}

/** Runs requests against one table with the store's bounds. */
export class RequestRunner {
  table: TableManager | undefined;

  constructor(private readonly options: RequestRunnerOptions) {}

  /**
   * One bounded, cancellable request; driver errors come back as they are (the table manager
   * looks at their names). A timeout rejects with `UnavailableError`.
   */
  bounded = <T>(operation: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    this.#withDeadline(operation, request);

  /**
   * Run `body` (one request, or a short fixed sequence) as one operation: the table is made
   * ready first when the store creates it, everything shares one deadline and one abort
   * signal, and every failure comes back as a `SessionError` (driver errors as `UNAVAILABLE`
   * with the driver error as `cause`).
   */
  async op<T>(operation: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.#withDeadline(operation, (signal) => this.#attempt(body, signal));
    } catch (err) {
      throw this.toSessionError(err, operation);
    }
  }

  async #attempt<T>(body: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    const { table } = this;
    const manage = this.options.createTable && table !== undefined;
    if (manage && !table.ready) await table.ensure();
    if (signal.aborted) throw signal.reason;
    try {
      return await body(signal);
    } catch (err) {
      // A missing table means nothing was read or written: safe to ensure it and run again.
      if (!manage || errorName(err) !== 'ResourceNotFoundException') throw err;
      table.forget();
      await table.ensure(true);
      if (signal.aborted) throw signal.reason;
      return await body(signal);
    }
  }

  async #withDeadline<T>(operation: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let settled = false;
    const work = run(controller.signal).finally(() => {
      settled = true;
    });
    try {
      return await withDeadline(work, this.options.timeoutMs, SOURCE, operation);
    } catch (err) {
      if (settled) throw err;
      // The deadline passed: cancel the request in flight (or keep it from being sent).
      const timeout = new DOMException(
        `${operation} timed out after ${this.options.timeoutMs} ms`,
        'TimeoutError',
      );
      controller.abort(timeout);
      throw new UnavailableError(
        SOURCE,
        `${operation} did not complete within ${this.options.timeoutMs} ms`,
        {
          cause: timeout,
        },
      );
    }
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
