// The session manager's load-and-save, per backend, in one interleaved run: no listeners (the
// baseline), a listener on every lifecycle event, this package's instrumentation with no SDK
// registered (OpenTelemetry off: the API's no-op providers), and with the SDK (OpenTelemetry
// on: spans through a batch processor, metrics aggregated for a periodic reader). The exporters
// discard what they get: what is measured is what the application process pays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { type ManagerBenchData, managerContender, runManagerBench } from '@sessions/bench';
import {
  createSessionManager,
  MemoryStore,
  type SessionEventType,
  type SessionManager,
  type SessionStore,
} from '@sessions/core';
import { SqliteStore } from '@sessions/sqlite';
import { instrumentManager, instrumentStore } from '../src/index.js';

const EVENTS: SessionEventType[] = [
  'created',
  'loaded',
  'saved',
  'conflict',
  'rotated',
  'destroyed',
  'revoked',
  'miss',
  'store-error',
];

// The SDK as an application runs it: spans batched off the request path, metrics aggregated in
// memory until the reader's interval. The context manager is what NodeSDK registers; it is on
// for every row, as it is process-wide in an application that runs OpenTelemetry at all.
const discard = { code: 0 };
const dropSpans: SpanExporter = {
  export: (_spans, done) => done(discard),
  shutdown: async () => {},
};
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(dropSpans)],
});
// As production often runs it: one trace in ten recorded (the metrics still see every call).
const sampledTracerProvider = new BasicTracerProvider({
  sampler: new TraceIdRatioBasedSampler(0.1),
  spanProcessors: [new BatchSpanProcessor(dropSpans)],
});
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: {
        export: (_metrics, done) => done(discard),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
      exportIntervalMillis: 10_000,
    }),
  ],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

let counted = 0;

function rows(open: (name: string) => SessionStore<unknown>) {
  const manager = (store: SessionStore<unknown>): SessionManager<ManagerBenchData> =>
    createSessionManager<ManagerBenchData>({ store });
  const withEvents = manager(open('events'));
  for (const type of EVENTS) withEvents.on(type, () => void counted++);
  const otelOff = manager(instrumentStore(open('otel-off')));
  instrumentManager(otelOff);
  const otelOn = manager(instrumentStore(open('otel-on'), { tracerProvider, meterProvider }));
  instrumentManager(otelOn, { meterProvider });
  const sampled = manager(
    instrumentStore(open('otel-sampled'), { tracerProvider: sampledTracerProvider, meterProvider }),
  );
  instrumentManager(sampled, { meterProvider });
  return [
    managerContender('baseline (no listeners)', manager(open('baseline'))),
    managerContender('events on (every event)', withEvents),
    managerContender('OpenTelemetry off (no SDK)', otelOff),
    managerContender('OpenTelemetry on (SDK)', otelOn),
    managerContender('OpenTelemetry on, 1 in 10 traced', sampled),
  ];
}

const notes = [
  'each operation: load(token) → one get; change the data; save → one compare-and-set set; ~1 KiB of JSON',
  'OpenTelemetry on: instrumentStore (a span and a duration point per store call) and instrumentManager, BatchSpanProcessor and a periodic metric reader, exporters that discard ("1 in 10 traced": TraceIdRatioBasedSampler(0.1), metrics for every call); AsyncLocalStorage context manager on for every row',
];

const memoryStores: MemoryStore[] = [];
await runManagerBench(
  'memory',
  rows(() => {
    const store = new MemoryStore({ pruneInterval: 0 });
    memoryStores.push(store);
    return store;
  }),
  { notes },
);
for (const store of memoryStores) await store.close();

const dir = mkdtempSync(join(tmpdir(), 'sessions-manager-bench-'));
const sqliteStores: SqliteStore[] = [];
try {
  await runManagerBench(
    'sqlite (file, WAL)',
    rows((namespace) => {
      const store = new SqliteStore({
        database: join(dir, 'sessions.db'),
        namespace,
        pruneInterval: 0,
      });
      sqliteStores.push(store);
      return store;
    }),
    { notes: [...notes, 'one database file, a namespace per row'] },
  );
} finally {
  for (const store of sqliteStores) await store.close();
  rmSync(dir, { recursive: true, force: true });
}
await tracerProvider.shutdown();
await sampledTracerProvider.shutdown();
await meterProvider.shutdown();
if (counted === 0) throw new Error('the event listeners never ran');
