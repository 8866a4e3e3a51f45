/**
 * How every request is made: bounded by a deadline that also cancels it (the AWS SDK's
 * `abortSignal`), after making sure the table exists, and with one retry when the table turns
 * out to have vanished (DynamoDB Local restarted in memory, or someone deleted it).
 */
import {
  deadlineExceeded,
  isSessionError,
  type SessionError,
  toSessionError,
  UnavailableError,
} from '@sessions/core';
import { SOURCE } from './options.js';
import { Slots, type SlotWait } from './slots.js';
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

/** Where one operation stands, shared by its timer and its run. */
interface OperationState {
  /** `performance.now()` at which the operation is out of time. */
  deadline: number;
  expired: boolean;
  /** Its place in the queue for a slot, while it waits. */
  wait?: SlotWait;
  /** Cancels its request, once one is sent. */
  controller?: AbortController;
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
    this.#withDeadline(operation, request);

  /**
   * Run `body` (one request, or a short fixed sequence) as one operation: the table is made
   * ready first when the store creates it, everything shares one deadline and one abort
   * signal, and every failure comes back as a `SessionError` (driver errors as `UNAVAILABLE`
   * with the driver error as `cause`).
   *
   * This is core's `withDeadline` plus cancellation, on one timer: when the deadline passes,
   * the operation rejects at once, leaves the queue if it is still waiting for a slot (never
   * sent), or aborts its request (the SDK drops it). Under a burst, thousands of operations
   * time out in the same tick, so the timeout path creates only what it needs: the abort
   * controller exists only once a request is really sent.
   */
  op<T>(operation: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ms = this.options.timeoutMs;
    const state: OperationState = { deadline: performance.now() + ms, expired: false };
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        state.expired = true;
        const timeout = this.#timeoutError(operation);
        state.controller?.abort(timeout.cause);
        state.wait?.cancel(timeout);
        reject(timeout);
      }, ms);
      // After a timeout, the late settlement below is ignored (a promise settles once).
      this.#attempt(operation, body, state).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(this.toSessionError(err, operation));
        },
      );
    });
  }

  async #attempt<T>(
    operation: string,
    body: (signal: AbortSignal) => Promise<T>,
    state: OperationState,
  ): Promise<T> {
    const { table } = this;
    const manage = this.options.createTable && table !== undefined;
    if (manage && !table.ready) await table.ensure();
    if (!this.#slots.tryAcquire()) {
      if (state.expired) throw this.#timeoutError(operation);
      state.wait = this.#slots.wait(state.deadline);
      await state.wait.granted;
    }
    let sentAt: number | undefined;
    try {
      // A slot can come free in the very tick this operation's deadline passes, before its
      // timer runs: never start a request that is already late (under a burst, thousands of
      // them would each pay the SDK's CPU cost and delay every other timer).
      if (state.expired || performance.now() >= state.deadline) throw this.#timeoutError(operation);
      state.controller = new AbortController();
      sentAt = performance.now();
      try {
        return await body(state.controller.signal);
      } catch (err) {
        // Nothing listens at the endpoint (the SDK already retried): the operations queued
        // behind this one would meet the same refusal, one slot at a time, until their
        // deadlines all fire at once. Fail them now, with this error as their cause.
        if (isConnectionRefused(err)) this.#slots.refuseAll(err);
        // A missing table means nothing was read or written: safe to ensure it and run again.
        if (!manage || errorName(err) !== 'ResourceNotFoundException') throw err;
        table.forget();
        await table.ensure(true);
        if (state.expired) throw this.#timeoutError(operation);
        return await body(state.controller.signal);
      }
    } finally {
      this.#slots.release(sentAt === undefined ? undefined : performance.now() - sentAt);
    }
  }

  /** A bounded, cancellable control-plane request (few of them: no queue, no shortcuts). */
  #withDeadline<T>(operation: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const ms = this.options.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const timeout = this.#timeoutError(operation);
        controller.abort(timeout.cause);
        reject(timeout);
      }, ms);
      run(controller.signal).then(
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
    return deadlineExceeded(SOURCE, operation, this.options.timeoutMs);
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

/** A refused TCP connection: the endpoint is down, not slow. */
function isConnectionRefused(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ECONNREFUSED'
  );
}
