// instrumentManager on real managers (the reference store and a SQLite file): misses by reason,
// conflicts, failed store calls by class, the optional live-session gauge, and stop().
import {
  createSessionManager,
  generateSessionToken,
  MemoryStore,
  type SessionManager,
  type SessionStore,
} from '@sessions/core';
import { SqliteStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  instrumentManager,
  instrumentStore,
  METRIC_SESSION_ACTIVE,
  METRIC_SESSION_CONFLICTS,
  METRIC_SESSION_MISSES,
  METRIC_SESSION_STORE_ERRORS,
  METRIC_SESSION_STORE_OPERATION_DURATION,
} from '../src/index.js';
import { pointWith, type Telemetry, telemetry, tempDir } from './telemetry.js';

type Cart = { cart: string[] };

const backends = [
  { backend: 'memory', open: () => new MemoryStore({ pruneInterval: 0 }) },
  {
    backend: 'sqlite',
    open: (file: string) =>
      new SqliteStore({ database: file, pruneInterval: 0, operationTimeout: 100 }),
  },
];

describe.each(backends)('instrumentManager on $backend', ({ backend, open }) => {
  let otel: Telemetry;
  let dir: ReturnType<typeof tempDir>;
  let inner: SessionStore<unknown>;
  let sessions: SessionManager<Cart>;
  let stop: () => void;

  beforeEach(() => {
    otel = telemetry();
    dir = tempDir();
    inner = open(dir.file);
    sessions = createSessionManager<Cart>({ store: instrumentStore(inner, otel) });
    stop = instrumentManager(sessions, otel);
  });

  afterEach(async () => {
    stop();
    await inner.close();
    await otel.shutdown();
    dir.cleanup();
  });

  const misses = async (reason: string) =>
    pointWith(await otel.points(METRIC_SESSION_MISSES), { 'session.miss.reason': reason }).value;

  test('a hit is a get and a set span and counts nothing', async () => {
    const session = sessions.create({ data: { cart: [] }, userId: 'ada' });
    await sessions.save(session);
    const loaded = await sessions.load(session.token);
    loaded?.data.cart.push('tea');
    expect(await sessions.save(loaded as NonNullable<typeof loaded>)).toEqual({ status: 'saved' });
    expect(otel.spans().map((s) => s.name)).toEqual([
      'session.store.set',
      'session.store.get',
      'session.store.set',
    ]);
    expect(await otel.points(METRIC_SESSION_MISSES)).toEqual([]);
    expect(await otel.points(METRIC_SESSION_CONFLICTS)).toEqual([]);
    expect(await otel.points(METRIC_SESSION_STORE_ERRORS)).toEqual([]);
    const all = await otel.everything();
    for (const secret of [session.token, session.handle, 'ada', 'tea']) {
      expect(all).not.toContain(secret);
    }
  });

  test('misses are counted by reason', async () => {
    await sessions.load(undefined);
    await sessions.loadWithReason('not-a-token');
    await sessions.load(generateSessionToken());
    await sessions.load(generateSessionToken());
    const first = sessions.create({ data: { cart: [] }, userId: 'ada' });
    await sessions.save(first);
    const rotated = await sessions.regenerate(first);
    await sessions.load(first.token);
    await sessions.save(rotated as NonNullable<typeof rotated>);
    await sessions.destroyAllForUser('ada');
    await sessions.load(rotated?.token);

    expect(await misses('no-cookie')).toBe(1);
    expect(await misses('malformed')).toBe(1);
    expect(await misses('not-found')).toBe(2);
    expect(await misses('rotated')).toBe(1);
    expect(await misses('revoked')).toBe(1);
    expect(await otel.points(METRIC_SESSION_MISSES)).toHaveLength(5);
    // The tombstone reads a miss listener asks for are store calls like any other.
    const gets = (await otel.points(METRIC_SESSION_STORE_OPERATION_DURATION)).filter(
      (p) => p.attributes['session.store.operation'] === 'get',
    );
    expect(gets.every((p) => p.attributes['session.store.backend'] === backend)).toBe(true);
  });

  test('a save that loses a compare-and-set counts one conflict', async () => {
    const created = sessions.create({ data: { cart: [] } });
    await sessions.save(created);
    const a = await sessions.load(created.token);
    const b = await sessions.load(created.token);
    a?.data.cart.push('tea');
    b?.data.cart.push('milk');
    await sessions.save(a as NonNullable<typeof a>);
    await expect(sessions.save(b as NonNullable<typeof b>)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const conflicts = await otel.points(METRIC_SESSION_CONFLICTS);
    expect(pointWith(conflicts, { 'session.conflict.operation': 'save' }).value).toBe(1);
    expect(conflicts).toHaveLength(1);
    // Not a store error: a lost compare-and-set is an ordinary outcome.
    expect(await otel.points(METRIC_SESSION_STORE_ERRORS)).toEqual([]);
    const durations = await otel.points(METRIC_SESSION_STORE_OPERATION_DURATION);
    expect(
      pointWith(durations, {
        'session.store.backend': backend,
        'session.store.operation': 'set',
        'session.store.outcome': 'CONFLICT',
        'error.type': 'CONFLICT',
      }).value,
    ).toBe(1);
  });

  test('a store that cannot be read is a store error and a store-unavailable miss', async () => {
    await inner.close();
    await expect(sessions.load(generateSessionToken())).rejects.toMatchObject({ code: 'CLOSED' });
    const errors = await otel.points(METRIC_SESSION_STORE_ERRORS);
    expect(
      pointWith(errors, { 'session.store.operation': 'get', 'error.type': 'CLOSED' }).value,
    ).toBe(1);
    expect(await misses('store-unavailable')).toBe(1);
  });

  test('stop() removes every listener', async () => {
    await sessions.load(undefined);
    stop();
    await sessions.load(undefined);
    await sessions.load(generateSessionToken());
    expect(await misses('no-cookie')).toBe(1);
    expect(await otel.points(METRIC_SESSION_MISSES)).toHaveLength(1);
  });
});

describe('instrumentManager on SQLite that another connection holds locked', () => {
  test('a save that times out is an UNAVAILABLE store error', async () => {
    const otel = telemetry();
    const dir = tempDir();
    const store = new SqliteStore({ database: dir.file, pruneInterval: 0, operationTimeout: 100 });
    const sessions = createSessionManager<Cart>({ store });
    const stop = instrumentManager(sessions, otel);
    const session = sessions.create({ data: { cart: [] } });
    await sessions.save(session);
    session.data.cart.push('tea');
    const other = new Database(dir.file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await expect(sessions.save(session)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const errors = await otel.points(METRIC_SESSION_STORE_ERRORS);
    expect(
      pointWith(errors, { 'session.store.operation': 'set', 'error.type': 'UNAVAILABLE' }).value,
    ).toBe(1);
    expect(errors).toHaveLength(1);
    stop();
    await store.close();
    await otel.shutdown();
    dir.cleanup();
  });
});

describe('the session.active gauge', () => {
  test('is observed at collection only, from countActiveSessions, until stop()', async () => {
    const otel = telemetry();
    const store = new MemoryStore({ pruneInterval: 0 });
    const sessions = createSessionManager<Cart>({ store });
    let calls = 0;
    const stop = instrumentManager(sessions, {
      ...otel,
      countActiveSessions: async () => {
        calls += 1;
        return (await store.list()).length;
      },
    });
    await sessions.save(sessions.create({ data: { cart: [] } }));
    await sessions.save(sessions.create({ data: { cart: [] } }));
    expect(calls).toBe(0); // nothing on a request
    expect(pointWith(await otel.points(METRIC_SESSION_ACTIVE), {}).value).toBe(2);
    expect(calls).toBe(1);
    stop();
    await otel.points(METRIC_SESSION_ACTIVE);
    expect(calls).toBe(1);
    await store.close();
    await otel.shutdown();
  });

  test('is absent without countActiveSessions, and a bad one is refused', async () => {
    const otel = telemetry();
    const sessions = createSessionManager({ store: new MemoryStore() });
    instrumentManager(sessions, otel);
    expect(await otel.points(METRIC_SESSION_ACTIVE)).toEqual([]);
    expect(() =>
      instrumentManager(sessions, { countActiveSessions: 3 as unknown as () => number }),
    ).toThrow(/@sessions\/opentelemetry.*countActiveSessions/);
    expect(() => instrumentManager({} as SessionManager)).toThrow(/needs a session manager/);
    await otel.shutdown();
  });
});
