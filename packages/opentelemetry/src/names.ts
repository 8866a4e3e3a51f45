/**
 * Every name this package gives to telemetry, in one place: the instrumentation scope, the span
 * and metric names, the attribute keys and their closed sets of values. Where OpenTelemetry's
 * semantic conventions have a name for the thing (`error.type` and its `_OTHER` fallback,
 * seconds for durations, `{unit}` annotations for counts, no `total` suffix, pluralised counter
 * names, singular up-down counter names), it is used; the rest lives under the `session.`
 * namespace. No name here ever carries a session token, key, handle or user id.
 */

/** The instrumentation scope: the name tracers and meters are created under. */
export const INSTRUMENTATION_SCOPE = '@sessions/opentelemetry';

/** Span attribute and metric attribute: the store's backend (`memory`, `sqlite`, `redis`...). */
export const ATTR_SESSION_STORE_BACKEND = 'session.store.backend';
/** Span attribute and metric attribute: the store method called (`get`, `set`...). */
export const ATTR_SESSION_STORE_OPERATION = 'session.store.operation';
/** Span attribute and metric attribute: how the call ended; see {@link StoreOutcome}. */
export const ATTR_SESSION_STORE_OUTCOME = 'session.store.outcome';
/** The semantic conventions' error class: the `SessionError` code, or `_OTHER`. */
export const ATTR_ERROR_TYPE = 'error.type';
/** Metric attribute of {@link METRIC_SESSION_MISSES}: why a request got no session. */
export const ATTR_SESSION_MISS_REASON = 'session.miss.reason';
/** Metric attribute of {@link METRIC_SESSION_CONFLICTS}: the manager call that lost (`save`, `update`). */
export const ATTR_SESSION_CONFLICT_OPERATION = 'session.conflict.operation';

/** Histogram, seconds: how long each store call took, by backend, operation and outcome. */
export const METRIC_SESSION_STORE_OPERATION_DURATION = 'session.store.operation.duration';
/** Counter, `{miss}`: requests that got no session, by {@link ATTR_SESSION_MISS_REASON}. */
export const METRIC_SESSION_MISSES = 'session.misses';
/** Counter, `{conflict}`: compare-and-set writes the manager lost to another request. */
export const METRIC_SESSION_CONFLICTS = 'session.conflicts';
/**
 * Counter, `{error}`: store calls of the manager that failed (a lost compare-and-set is a
 * conflict, not an error), by operation and {@link ATTR_ERROR_TYPE}: `UNAVAILABLE` is an outage.
 */
export const METRIC_SESSION_STORE_ERRORS = 'session.store.errors';
/** Observable up-down counter, `{session}`: live sessions, when you give a way to count them. */
export const METRIC_SESSION_ACTIVE = 'session.active';

/** The `error.type` of something thrown that is not a `SessionError` (a bug, a raw error). */
export const OTHER_ERROR = '_OTHER';

/**
 * How a store call ended:
 * - `ok`: it did what was asked;
 * - `miss`: it found nothing (`get` resolved `undefined`, `touch` or `delete` resolved `false`);
 * - a `SessionError` code (`CONFLICT`, `UNAVAILABLE`, `CORRUPT`, `TOO_LARGE`...): it threw that;
 * - `_OTHER`: it threw something else.
 */
export type StoreOutcome = 'ok' | 'miss' | string;

/**
 * Bucket boundaries of {@link METRIC_SESSION_STORE_OPERATION_DURATION}, in seconds: the
 * semantic conventions' advice for database client operations, with two buckets below a
 * millisecond added for the embedded stores (memory, SQLite), whose operations take
 * microseconds. Views can override them.
 */
export const DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10,
];
