// What the wrapper promises besides the spans: it keeps the store's shape, bounds what it
// records, parents a driver's spans, and works with no SDK at all.
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MemoryStore, SessionError, type SessionStore } from '@sessions/core';
import { afterEach, describe, expect, test } from 'vitest';
import { backendOf, instrumentStore } from '../src/index.js';
import { type Telemetry, telemetry } from './telemetry.js';

const KEY = 'k-1';
let otel: Telemetry | undefined;
afterEach(async () => {
  await otel?.shutdown();
  otel = undefined;
});

/** A third-party store over the reference store: the contract's methods only, no list or prune. */
function plainStore(inner: MemoryStore, get?: SessionStore['get']): SessionStore {
  return {
    maxPayloadBytes: inner.maxPayloadBytes,
    get: get ?? ((key) => inner.get(key)),
    set: (key, record, options) => inner.set(key, record, options),
    touch: (key, expiresAt) => inner.touch(key, expiresAt),
    delete: (key) => inner.delete(key),
    listByUser: (userId) => inner.listByUser(userId),
    deleteByUser: (userId, options) => inner.deleteByUser(userId, options),
    clear: () => inner.clear(),
    close: () => inner.close(),
  };
}

describe('the wrapped store', () => {
  test('has list and prune only where the store has them', () => {
    const inner = new MemoryStore();
    const wrapped = instrumentStore(plainStore(inner));
    expect(wrapped.list).toBeUndefined();
    expect(wrapped.prune).toBeUndefined();
    expect(typeof instrumentStore(inner).list).toBe('function');
  });

  test('takes the backend name it is given, refuses an unbounded one, falls back to unknown', async () => {
    otel = telemetry();
    const inner = new MemoryStore();
    await instrumentStore(inner, { ...otel, backend: 'valkey' }).get(KEY);
    expect(otel.spans()[0]?.attributes['session.store.backend']).toBe('valkey');
    expect(() => instrumentStore(inner, { backend: 'Has Spaces' })).toThrow(
      /@sessions\/opentelemetry.*backend/,
    );
    expect(() => instrumentStore(inner, { backend: 'x'.repeat(65) })).toThrow(TypeError);
    expect(() => instrumentStore({} as SessionStore)).toThrow(/needs a session store/);
    expect(backendOf(plainStore(inner))).toBe('unknown');
    expect(backendOf(inner)).toBe('memory');
  });

  test('an error that is not a SessionError, or has a code core does not define, is _OTHER', async () => {
    otel = telemetry();
    const inner = new MemoryStore();
    const secretMessage = `driver failed for ${KEY}-token`;
    const failing = instrumentStore(
      plainStore(inner, () => Promise.reject(new Error(secretMessage))),
      otel,
    );
    await expect(failing.get(KEY)).rejects.toThrow(secretMessage);
    const odd = new SessionError('UNAVAILABLE', 'x', 'odd');
    (odd as { code: string }).code = 'SOMETHING_NEW';
    const oddStore = instrumentStore(
      plainStore(inner, () => Promise.reject(odd)),
      otel,
    );
    await expect(oddStore.get(KEY)).rejects.toBe(odd);
    for (const span of otel.spans()) {
      expect(span.attributes['session.store.outcome']).toBe('_OTHER');
      expect(span.attributes['error.type']).toBe('_OTHER');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: '_OTHER' });
    }
    expect(await otel.everything()).not.toContain('token');
  });

  test("makes its span the active one, so a driver's spans nest under it", async () => {
    otel = telemetry();
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const inner = new MemoryStore();
      const driverTracer = otel.tracerProvider.getTracer('a-driver');
      const store = instrumentStore(
        plainStore(inner, async (key) => {
          await Promise.resolve(); // across an await, as a driver's I/O would be
          return driverTracer.startActiveSpan('driver.get', (span) => {
            span.end();
            return inner.get(key);
          });
        }),
        otel,
      );
      await store.get(KEY);
      const [driver, ours] = otel.spans();
      expect(driver?.name).toBe('driver.get');
      expect(ours?.name).toBe('session.store.get');
      expect(driver?.parentSpanContext?.spanId).toBe(ours?.spanContext().spanId);
      expect(driver?.spanContext().traceId).toBe(ours?.spanContext().traceId);
    } finally {
      context.disable();
    }
  });

  test('with no SDK registered it records nothing and changes nothing', async () => {
    expect(trace.getTracerProvider().getTracer('probe').startSpan('x').isRecording()).toBe(false);
    const inner = new MemoryStore();
    const store = instrumentStore(inner);
    const { version } = await store.set(KEY, { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    expect((await store.get(KEY))?.data).toEqual({ n: 1 });
    await expect(
      store.set(KEY, { data: {}, expiresAt: Date.now() + 60_000 }, { ifVersion: version + 1 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await store.close();
  });
});

test('a store that throws instead of rejecting is recorded, and the error thrown on', () => {
  otel = telemetry();
  const inner = new MemoryStore();
  const broken = new TypeError('not a promise');
  const store = instrumentStore(
    plainStore(inner, () => {
      throw broken;
    }),
    otel,
  );
  expect(() => store.get(KEY)).toThrow(broken);
  expect(otel.spans()[0]?.attributes['session.store.outcome']).toBe('_OTHER');
});

test('with nothing to record, a call goes through untouched: the promise is the store’s own', async () => {
  const inner = new MemoryStore();
  const own = Promise.resolve(undefined);
  const off = instrumentStore(plainStore(inner, () => own));
  expect(off.get(KEY)).toBe(own);
  otel = telemetry();
  const measured = instrumentStore(
    plainStore(inner, () => own),
    {
      meterProvider: otel.meterProvider,
    },
  );
  const wrapped = measured.get(KEY);
  expect(wrapped).not.toBe(own);
  await wrapped;
  const points = await otel.points('session.store.operation.duration');
  expect(points.map((p) => p.attributes['session.store.outcome'])).toEqual(['miss']);
});
