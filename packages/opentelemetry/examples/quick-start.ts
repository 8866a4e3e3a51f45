import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createSessionManager, MemoryStore } from '@sessions/core';
import { instrumentManager, instrumentStore } from '@sessions/opentelemetry';

// 1. The SDK first (in production: NodeSDK with an OTLP exporter). In-memory exporters here,
//    so that this example can print what was recorded.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
);
const exported = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: exported });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

// 2. Then the instrumentation: the store gets spans, the manager's events become metrics.
const store = new MemoryStore(); // or SqliteStore, RedisStore, PostgresStore...
const sessions = createSessionManager<{ visits: number }>({ store: instrumentStore(store) });
const stop = instrumentManager(sessions);

// 3. Requests as usual.
const session = sessions.create({ data: { visits: 1 } });
await sessions.save(session);
const again = await sessions.load(session.token);
if (again) {
  again.data.visits += 1;
  await sessions.save(again);
}
await sessions.load(undefined); // a request without a cookie: a miss

for (const span of spans.getFinishedSpans()) {
  console.log(span.name, span.attributes['session.store.outcome']);
}
await reader.forceFlush();
const recorded = exported.getMetrics()[0]?.scopeMetrics[0]?.metrics ?? [];
const misses = recorded.find((m) => m.descriptor.name === 'session.misses');
for (const point of misses?.dataPoints ?? []) {
  console.log('session.misses', point.attributes['session.miss.reason'], point.value);
}

stop();
await store.close();
