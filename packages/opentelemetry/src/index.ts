/**
 * `@sessions/opentelemetry`: OpenTelemetry for `@sessions` stores and the session manager. A
 * span and a duration measurement per store call ({@link instrumentStore}), and counters from
 * the manager's lifecycle events ({@link instrumentManager}). Nothing in core changes: without
 * this package installed and called, sessions cost what they cost.
 *
 * @packageDocumentation
 */
export { instrumentManager, type ManagerEventSource } from './manager-instrumentation.js';
export {
  ATTR_ERROR_TYPE,
  ATTR_SESSION_CONFLICT_OPERATION,
  ATTR_SESSION_MISS_REASON,
  ATTR_SESSION_STORE_BACKEND,
  ATTR_SESSION_STORE_OPERATION,
  ATTR_SESSION_STORE_OUTCOME,
  DURATION_BUCKETS,
  INSTRUMENTATION_SCOPE,
  METRIC_SESSION_ACTIVE,
  METRIC_SESSION_CONFLICTS,
  METRIC_SESSION_MISSES,
  METRIC_SESSION_STORE_ERRORS,
  METRIC_SESSION_STORE_OPERATION_DURATION,
  OTHER_ERROR,
  type StoreOutcome,
} from './names.js';
export type { ManagerInstrumentationOptions, StoreInstrumentationOptions } from './options.js';
export { backendOf, type InstrumentedOperation, instrumentStore } from './store-instrumentation.js';
