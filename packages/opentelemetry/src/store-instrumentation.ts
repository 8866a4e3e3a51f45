/**
 * A span and a duration measurement around every call of a session store. The wrapper is the
 * store's contract and nothing more: it changes no argument, result or error, and a store that
 * is not wrapped pays nothing.
 */
import {
  type Attributes,
  context,
  createNoopMeter,
  type Histogram,
  metrics,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type {
  DeleteByUserOptions,
  SessionData,
  SessionRecord,
  SessionStore,
  SetOptions,
  SetResult,
  StoredSession,
} from '@sessions/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_SESSION_STORE_BACKEND,
  ATTR_SESSION_STORE_OPERATION,
  ATTR_SESSION_STORE_OUTCOME,
  DURATION_BUCKETS,
  INSTRUMENTATION_SCOPE,
  METRIC_SESSION_STORE_OPERATION_DURATION,
} from './names.js';
import type { StoreInstrumentationOptions } from './options.js';

/** The class of the API's no-op histogram, what a meter gives when no SDK is registered. */
const NOOP_HISTOGRAM = createNoopMeter().createHistogram('noop').constructor;

import { errorType, missedIfFalse, missedIfUndefined, neverMissed } from './outcome.js';

/** The store methods that get a span: the contract's, and the optional `list` and `prune`. */
export type InstrumentedOperation =
  | 'get'
  | 'set'
  | 'touch'
  | 'delete'
  | 'listByUser'
  | 'deleteByUser'
  | 'list'
  | 'clear'
  | 'close'
  | 'prune';

const BACKEND_PATTERN = /^[a-z0-9_.-]{1,64}$/;

/**
 * Wrap a store so that every call gets a span (`session.store.get`, `session.store.set`...,
 * kind `INTERNAL`) and a `session.store.operation.duration` measurement, both with the backend,
 * the operation and the outcome (`ok`, `miss`, or the error's code: `CONFLICT`, `UNAVAILABLE`...).
 * A failed call's span has status `ERROR` and `error.type`, never the error's message. A
 * recorded span is the active one while the store works, so a driver's own instrumentation
 * (ioredis, pg, mongodb...) nests its client spans under it. With no SDK registered, a call goes
 * through untouched. Nothing identifying (keys, tokens, user ids) is ever recorded.
 *
 * Give the wrapped store to the manager or adapter; keep the original for its own extras
 * (`ensureTable()`, options). Closing either closes the store.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@sessions/core';
 * import { instrumentStore } from '@sessions/opentelemetry';
 * import { SqliteStore } from '@sessions/sqlite';
 *
 * const store = instrumentStore(new SqliteStore({ database: 'sessions.db' }));
 * const sessions = createSessionManager({ store });
 * ```
 */
export function instrumentStore<D = SessionData>(
  store: SessionStore<D>,
  options: StoreInstrumentationOptions = {},
): SessionStore<D> {
  return new InstrumentedStore(store, options);
}

/** The backend name a store's class implies: `SqliteStore` → `sqlite`. */
export function backendOf(store: object): string {
  const name = (store.constructor as { name?: unknown } | undefined)?.name;
  const backend = typeof name === 'string' ? name.replace(/Store$/, '').toLowerCase() : '';
  return BACKEND_PATTERN.test(backend) && backend !== 'object' ? backend : 'unknown';
}

class InstrumentedStore<D> implements SessionStore<D> {
  readonly #store: SessionStore<D>;
  readonly #tracer: Tracer;
  readonly #duration: Histogram;
  /** False when the meter is the API's no-op (no SDK registered): no duration to measure. */
  readonly #measuring: boolean;
  /** Per operation, built once: what every call of it records but the outcome. */
  readonly #ops: Record<InstrumentedOperation, OperationTelemetry>;
  list?: () => Promise<Array<StoredSession<D>>>;
  prune?: () => Promise<number>;

  constructor(store: SessionStore<D>, options: StoreInstrumentationOptions) {
    if (typeof store !== 'object' || store === null || typeof store.get !== 'function') {
      throw new TypeError(`[${INSTRUMENTATION_SCOPE}] instrumentStore needs a session store`);
    }
    const backend = options.backend ?? backendOf(store);
    if (typeof backend !== 'string' || !BACKEND_PATTERN.test(backend)) {
      throw new TypeError(
        `[${INSTRUMENTATION_SCOPE}] backend must be 1 to 64 lowercase letters, digits, "_", "-" or "."`,
      );
    }
    this.#store = store;
    this.#ops = Object.fromEntries(
      OPERATIONS.map((operation) => [operation, new OperationTelemetry(backend, operation)]),
    ) as Record<InstrumentedOperation, OperationTelemetry>;
    this.#tracer = (options.tracerProvider ?? trace).getTracer(INSTRUMENTATION_SCOPE);
    this.#duration = (options.meterProvider ?? metrics)
      .getMeter(INSTRUMENTATION_SCOPE)
      .createHistogram(METRIC_SESSION_STORE_OPERATION_DURATION, {
        description: 'How long each session store call took.',
        unit: 's',
        advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
      });
    this.#measuring = !(this.#duration instanceof NOOP_HISTOGRAM);
    // Optional methods stay optional: callers test for them (express-session's `all()`).
    if (typeof store.list === 'function') {
      const list = store.list.bind(store);
      this.list = () => this.#run(this.#ops.list, list, neverMissed);
    }
    if (typeof store.prune === 'function') {
      const prune = store.prune.bind(store);
      this.prune = () => this.#run(this.#ops.prune, prune, neverMissed);
    }
  }

  get maxPayloadBytes(): number {
    return this.#store.maxPayloadBytes;
  }

  get(key: string): Promise<SessionRecord<D> | undefined> {
    return this.#run(this.#ops.get, () => this.#store.get(key), missedIfUndefined);
  }

  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    return this.#run(this.#ops.set, () => this.#store.set(key, record, options), neverMissed);
  }

  touch(key: string, expiresAt: number): Promise<boolean> {
    return this.#run(this.#ops.touch, () => this.#store.touch(key, expiresAt), missedIfFalse);
  }

  delete(key: string): Promise<boolean> {
    return this.#run(this.#ops.delete, () => this.#store.delete(key), missedIfFalse);
  }

  listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    return this.#run(this.#ops.listByUser, () => this.#store.listByUser(userId), neverMissed);
  }

  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.#run(
      this.#ops.deleteByUser,
      () => this.#store.deleteByUser(userId, options),
      neverMissed,
    );
  }

  clear(): Promise<void> {
    return this.#run(this.#ops.clear, () => this.#store.clear(), neverMissed);
  }

  close(): Promise<void> {
    return this.#run(this.#ops.close, () => this.#store.close(), neverMissed);
  }

  // Not an async function: one promise reaction instead of an async frame and two awaits, on
  // a path every store call takes.
  #run<T>(
    operation: OperationTelemetry,
    call: () => Promise<T>,
    missed: (result: T) => boolean,
  ): Promise<T> {
    const started = performance.now();
    const span = this.#tracer.startSpan(operation.spanName, operation.spanOptions);
    const recording = span.isRecording();
    // OpenTelemetry off (no SDK, or a span sampled out and no meter): nothing would be
    // recorded, so the call goes through untouched, without a promise of ours around it.
    if (!recording && !this.#measuring) return call();
    let pending: Promise<T>;
    try {
      // Made active only when recorded: an unsampled or no-op span has nothing to parent.
      pending = recording ? context.with(trace.setSpan(context.active(), span), call) : call();
    } catch (error) {
      // A store that throws synchronously instead of rejecting: recorded, then thrown on.
      this.#fail(operation, span, started, error);
      throw error;
    }
    return pending.then(
      (result) => {
        this.#end(operation, span, started, missed(result) ? 'miss' : 'ok');
        return result;
      },
      (error: unknown) => {
        this.#fail(operation, span, started, error);
        throw error;
      },
    );
  }

  #fail(operation: OperationTelemetry, span: Span, started: number, error: unknown): void {
    const outcome = errorType(error);
    // The code, never the message: with token hashing off a store's message can quote a key.
    span.setAttribute(ATTR_ERROR_TYPE, outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    this.#end(operation, span, started, outcome);
  }

  #end(operation: OperationTelemetry, span: Span, started: number, outcome: string): void {
    span.setAttribute(ATTR_SESSION_STORE_OUTCOME, outcome);
    span.end();
    this.#duration.record((performance.now() - started) / 1000, operation.attributes(outcome));
  }
}

const OPERATIONS: readonly InstrumentedOperation[] = [
  'get',
  'set',
  'touch',
  'delete',
  'listByUser',
  'deleteByUser',
  'list',
  'clear',
  'close',
  'prune',
];

/**
 * The telemetry of one operation of one store, built once: its span name and options, and the
 * metric attributes of each outcome (the SDK keys its aggregations by them). Nothing here is
 * allocated per call.
 */
class OperationTelemetry {
  readonly spanName: string;
  readonly spanOptions: SpanOptions;
  readonly #ok: Attributes;
  readonly #miss: Attributes;
  /** Failed outcomes, by error code: a closed set (see outcome.ts). */
  readonly #failed = new Map<string, Attributes>();
  readonly #base: Attributes;

  constructor(backend: string, operation: InstrumentedOperation) {
    this.spanName = `session.store.${operation}`;
    this.#base = {
      [ATTR_SESSION_STORE_BACKEND]: backend,
      [ATTR_SESSION_STORE_OPERATION]: operation,
    };
    this.spanOptions = { kind: SpanKind.INTERNAL, attributes: this.#base };
    this.#ok = Object.freeze({ ...this.#base, [ATTR_SESSION_STORE_OUTCOME]: 'ok' });
    this.#miss = Object.freeze({ ...this.#base, [ATTR_SESSION_STORE_OUTCOME]: 'miss' });
  }

  /** The metric attributes of a call that ended with `outcome`. */
  attributes(outcome: string): Attributes {
    if (outcome === 'ok') return this.#ok;
    if (outcome === 'miss') return this.#miss;
    let attributes = this.#failed.get(outcome);
    if (attributes === undefined) {
      attributes = Object.freeze({
        ...this.#base,
        [ATTR_SESSION_STORE_OUTCOME]: outcome,
        [ATTR_ERROR_TYPE]: outcome,
      });
      this.#failed.set(outcome, attributes);
    }
    return attributes;
  }
}
