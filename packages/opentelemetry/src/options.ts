/**
 * Options of the two instrumentations. Both take their providers from the OpenTelemetry API's
 * globals unless given others, as every OpenTelemetry instrumentation does.
 */
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of {@link instrumentStore}. */
export interface StoreInstrumentationOptions {
  /**
   * The backend, as the `session.store.backend` attribute shows it: lowercase letters, digits,
   * `_`, `-` and `.`, 1 to 64 characters. Default: from the store's class (`SqliteStore` →
   * `sqlite`, `MemoryStore` → `memory`), `unknown` when that does not work (a minified build).
   */
  backend?: string;
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`). */
  tracerProvider?: TracerProvider;
  /**
   * Where the duration histogram goes. Default: the global meter provider. The meter is taken
   * when the store is instrumented: register your SDK first (the metrics API has no proxy, so
   * instruments made before registration stay no-ops).
   */
  meterProvider?: MeterProvider;
}

/** Options of {@link instrumentManager}. */
export interface ManagerInstrumentationOptions {
  /**
   * Where the counters go. Default: the global meter provider, taken when the manager is
   * instrumented: register your SDK first.
   */
  meterProvider?: MeterProvider;
  /**
   * How many sessions are live, for the `session.active` gauge. Called only when a metric reader
   * collects (every export interval), never on a request. Leave it out and there is no gauge:
   * the store contract has no count, and no built-in store can count its live sessions cheaply
   * (`list()` is a full scan, and a memory store's size includes expired entries not yet pruned).
   * Give one where your backend has a cheap count (an index, a counter you keep).
   */
  countActiveSessions?: () => number | Promise<number>;
}
