// instrumentStore on the reference store and on a real SQLite file: each call's span and
// duration point, with the backend, the operation and the outcome, and the error outcomes.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { MemoryStore, type SessionStore } from '@sessions/core';
import { SqliteStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { instrumentStore, METRIC_SESSION_STORE_OPERATION_DURATION } from '../src/index.js';
import { pointWith, type Telemetry, telemetry, tempDir } from './telemetry.js';

const KEY = 'k-8f1c2a9d4e7b';
const USER = 'user-ada-1815';
const later = () => Date.now() + 60_000;

interface Backend {
  backend: string;
  open(file: string): SessionStore;
}

const backends: Backend[] = [
  { backend: 'memory', open: () => new MemoryStore({ pruneInterval: 0 }) },
  { backend: 'sqlite', open: (file) => new SqliteStore({ database: file, pruneInterval: 0 }) },
];

describe.each(backends)('instrumentStore on $backend', ({ backend, open }) => {
  let otel: Telemetry;
  let inner: SessionStore;
  let store: SessionStore;
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    otel = telemetry();
    dir = tempDir();
    inner = open(dir.file);
    store = instrumentStore(inner, otel);
  });

  afterEach(async () => {
    await inner.close();
    await otel.shutdown();
    dir.cleanup();
  });

  const attrs = (operation: string, outcome: string) => ({
    'session.store.backend': backend,
    'session.store.operation': operation,
    'session.store.outcome': outcome,
  });

  test('names the backend from the store class', async () => {
    await store.get(KEY);
    expect(otel.spans()[0]?.attributes['session.store.backend']).toBe(backend);
  });

  test('each call is one INTERNAL span and one duration point, a miss told from a hit', async () => {
    expect(await store.get(KEY)).toBeUndefined();
    const { version } = await store.set(KEY, { data: { n: 1 }, expiresAt: later(), userId: USER });
    expect((await store.get(KEY))?.version).toBe(version);
    expect(await store.touch(KEY, later())).toBe(true);
    expect(await store.touch('k-absent', later())).toBe(false);
    expect(await store.listByUser(USER)).toHaveLength(1);
    expect(await store.delete(KEY)).toBe(true);
    expect(await store.delete(KEY)).toBe(false);
    expect(await store.deleteByUser(USER)).toBe(0);
    await store.clear();

    const expected: Array<[string, string]> = [
      ['get', 'miss'],
      ['set', 'ok'],
      ['get', 'ok'],
      ['touch', 'ok'],
      ['touch', 'miss'],
      ['listByUser', 'ok'],
      ['delete', 'ok'],
      ['delete', 'miss'],
      ['deleteByUser', 'ok'],
      ['clear', 'ok'],
    ];
    const spans = otel.spans();
    expect(
      spans.map((s) => [
        s.attributes['session.store.operation'],
        s.attributes['session.store.outcome'],
      ]),
    ).toEqual(expected);
    for (const span of spans) {
      const operation = String(span.attributes['session.store.operation']);
      expect(span.name).toBe(`session.store.${operation}`);
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toEqual(
        attrs(operation, String(span.attributes['session.store.outcome'])),
      );
      expect(span.instrumentationScope.name).toBe('@sessions/opentelemetry');
    }

    const points = await otel.points(METRIC_SESSION_STORE_OPERATION_DURATION);
    const distinct = [...new Set(expected.map((e) => e.join(',')))];
    for (const [operation, outcome] of distinct.map((e) => e.split(',') as [string, string])) {
      const count = expected.filter(([o, r]) => o === operation && r === outcome).length;
      const point = pointWith(points, attrs(operation, outcome));
      expect(point.value).toBe(count);
      expect(point.sum).toBeGreaterThan(0);
      expect(point.sum).toBeLessThan(count * 5); // seconds, not milliseconds
    }
    expect(points).toHaveLength(distinct.length);
  });

  test('a lost compare-and-set is a CONFLICT span with status ERROR, and the error is unchanged', async () => {
    const { version } = await store.set(KEY, { data: { n: 1 }, expiresAt: later() });
    const error = await store
      .set(KEY, { data: { n: 2 }, expiresAt: later() }, { ifVersion: version + 1 })
      .catch((e: unknown) => e);
    const direct = await inner
      .set(KEY, { data: { n: 2 }, expiresAt: later() }, { ifVersion: version + 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', name: 'ConflictError' });
    expect(error?.constructor).toBe(direct?.constructor);

    const span = otel.spans()[1];
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'CONFLICT' });
    expect(span?.attributes).toEqual({ ...attrs('set', 'CONFLICT'), 'error.type': 'CONFLICT' });
    expect(span?.events).toEqual([]); // no exception event: its message could quote a key
    const points = await otel.points(METRIC_SESSION_STORE_OPERATION_DURATION);
    expect(pointWith(points, { ...attrs('set', 'CONFLICT'), 'error.type': 'CONFLICT' }).value).toBe(
      1,
    );
    expect(pointWith(points, attrs('set', 'ok')).value).toBe(1);
  });

  test('a call on a closed store is a CLOSED outcome', async () => {
    await store.close();
    await expect(store.get(KEY)).rejects.toMatchObject({ code: 'CLOSED' });
    const [close, get] = otel.spans();
    expect(close?.attributes['session.store.outcome']).toBe('ok');
    expect(get?.attributes).toEqual({ ...attrs('get', 'CLOSED'), 'error.type': 'CLOSED' });
    expect(get?.status.code).toBe(SpanStatusCode.ERROR);
  });

  test('list and prune are instrumented where the store has them', async () => {
    await store.set(KEY, { data: {}, expiresAt: later() });
    expect(await store.list?.()).toHaveLength(1);
    expect(await store.prune?.()).toBe(0);
    expect(otel.spans().map((s) => s.name)).toEqual([
      'session.store.set',
      'session.store.list',
      'session.store.prune',
    ]);
    expect(store.maxPayloadBytes).toBe(inner.maxPayloadBytes);
  });

  test('no key, user id or data ever reaches a span or a metric', async () => {
    await store.set(KEY, { data: { secret: 'pa55' }, expiresAt: later(), userId: USER });
    await store.get(KEY);
    await store.listByUser(USER);
    await store.set(KEY, { data: {}, expiresAt: later() }, { ifVersion: 99 }).catch(() => {});
    await store.deleteByUser(USER, { except: KEY });
    const all = await otel.everything();
    expect(all).toContain('session.store.deleteByUser');
    for (const secret of [KEY, USER, 'pa55']) expect(all).not.toContain(secret);
  });
});

describe('instrumentStore on a SQLite file another connection has locked', () => {
  test('a write that cannot get the lock in time is an UNAVAILABLE span and point', async () => {
    const otel = telemetry();
    const dir = tempDir();
    const inner = new SqliteStore({ database: dir.file, pruneInterval: 0, operationTimeout: 100 });
    const store = instrumentStore(inner, otel);
    await store.set(KEY, { data: {}, expiresAt: later() });
    const other = new Database(dir.file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await expect(store.set(KEY, { data: { n: 2 }, expiresAt: later() })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const span = otel.spans()[1];
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNAVAILABLE' });
    expect(span?.attributes['error.type']).toBe('UNAVAILABLE');
    const points = await otel.points(METRIC_SESSION_STORE_OPERATION_DURATION);
    const unavailable = pointWith(points, {
      'session.store.backend': 'sqlite',
      'session.store.operation': 'set',
      'session.store.outcome': 'UNAVAILABLE',
      'error.type': 'UNAVAILABLE',
    });
    expect(unavailable.value).toBe(1);
    expect(unavailable.sum).toBeGreaterThan(0);
    await inner.close();
    await otel.shutdown();
    dir.cleanup();
  });
});
