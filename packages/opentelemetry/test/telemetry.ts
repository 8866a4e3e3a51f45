/**
 * An OpenTelemetry SDK pipeline that keeps everything in memory, one per test: spans through
 * the SDK's InMemorySpanExporter, metrics through its InMemoryMetricExporter, so each test
 * reads exactly what an exporter would have sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One data point of a metric, flattened for assertions. */
export interface Point {
  attributes: Attributes;
  /** A counter's sum, a gauge's value, or a histogram's count. */
  value: number;
  /** A histogram's sum (seconds), `undefined` for other instruments. */
  sum?: number;
}

/** The in-memory pipeline of one test. */
export interface Telemetry {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Collect now and return the data points of the metric `name` (empty if it has none). */
  points(name: string): Promise<Point[]>;
  /** Every exported span and metric as JSON: to check that no secret appears anywhere. */
  everything(): Promise<string>;
  shutdown(): Promise<void>;
}

/** A fresh pipeline. */
export function telemetry(): Telemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires within a test: each read collects by forceFlush.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collect = async () => {
    metricExporter.reset();
    await reader.forceFlush();
    return metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
  };
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async points(name) {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      if (metric === undefined) return [];
      return metric.dataPoints.map((point) => {
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const value = point.value as { count: number; sum?: number };
          return { attributes: point.attributes, value: value.count, sum: value.sum ?? 0 };
        }
        return { attributes: point.attributes, value: point.value as number };
      });
    },
    async everything() {
      const spans = spanExporter.getFinishedSpans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
      }));
      return JSON.stringify({ spans, metrics: await collect() });
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The one point whose attributes are exactly `attributes`; fails the test if not exactly one. */
export function pointWith(points: Point[], attributes: Attributes): Point {
  const found = points.filter(
    (p) => JSON.stringify(sorted(p.attributes)) === JSON.stringify(sorted(attributes)),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one point with ${JSON.stringify(attributes)}, got ${JSON.stringify(points.map((p) => p.attributes))}`,
    );
  }
  return found[0] as Point;
}

function sorted(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/** A temporary folder for a SQLite file, removed by `cleanup`. */
export function tempDir(): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sessions-otel-'));
  return {
    file: join(dir, 'sessions.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
