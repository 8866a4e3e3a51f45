// The deadline every operation runs under, on its own (no server): one queue, one timer, and
// every call settles exactly once — by its reply or by its deadline — and leaves nothing behind.
import { describe, expect, test } from 'vitest';
import { type Deadline, DeadlineQueue, type DeadlineQueueOptions } from '../src/deadline-queue.js';
import { ConflictError, CorruptError, isSessionError } from '../src/errors.js';

const SOURCE = '@sessions/test';
const queueOf = (ms: number, options: Partial<DeadlineQueueOptions> = {}) =>
  new DeadlineQueue({ ms, source: SOURCE, ...options });

const never = () => new Promise<never>(() => undefined);
const later = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('DeadlineQueue', () => {
  test('a reply resolves, mapped; what the mapping throws reaches the caller as it is', async () => {
    const queue = queueOf(1_000);
    await expect(
      queue.run(
        'get',
        async () => 'text',
        (t) => t.length,
      ),
    ).resolves.toBe(4);
    const conflict = new ConflictError(SOURCE);
    const thrown = queue.run(
      'set',
      async () => -1,
      () => {
        throw conflict;
      },
    );
    await expect(thrown).rejects.toBe(conflict);
    expect(queue.pending).toBe(0);
  });

  test('a driver failure rejects as a typed error with the driver error as cause', async () => {
    const queue = queueOf(1_000);
    const driver = new Error('Connection is closed.');
    const err = await queue.run('get', () => Promise.reject(driver), String).catch((e) => e);
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect(err.cause).toBe(driver);
    // A synchronous throw from the attempt is a rejection too, never an exception.
    const sync = await queue
      .run(
        'get',
        () => {
          throw driver;
        },
        String,
      )
      .catch((e) => e);
    expect(sync.cause).toBe(driver);
  });

  test("the store's own error mapping decides the code; without a mapping the value passes as it is", async () => {
    const wrongType = new Error(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    const queue = queueOf(1_000, {
      toError: (err, operation) =>
        new CorruptError(SOURCE, `${operation}: another type`, { cause: err }),
    });
    const err = await queue.run('get', () => Promise.reject(wrongType)).catch((e) => e);
    expect(isSessionError(err, 'CORRUPT')).toBe(true);
    expect(err.source).toBe(SOURCE);
    expect(err.cause).toBe(wrongType);
    await expect(queue.run('get', async () => 'as it is')).resolves.toBe('as it is');
  });

  test('a call with no reply rejects with UNAVAILABLE at its deadline, and its late reply is ignored', async () => {
    const queue = queueOf(50);
    let seen: Deadline | undefined;
    let mapped = 0;
    const started = performance.now();
    const err = await queue
      .run(
        'set',
        (deadline) => {
          seen = deadline;
          return later(150, 1);
        },
        (v) => {
          mapped++;
          return v;
        },
      )
      .catch((e) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/set did not complete within 50 ms/);
    expect(err.cause.name).toBe('TimeoutError');
    // The work can tell it is too late (so a NOSCRIPT retry is not sent).
    expect(seen?.passed).toBe(true);
    await later(150, undefined);
    expect(mapped).toBe(0);
    expect(queue.pending).toBe(0);
  });

  test('calls behind a hung one still complete, and each expires on its own deadline', async () => {
    const queue = queueOf(80);
    const hung = queue.run('get', never, String).catch((e) => e);
    await later(40, undefined);
    const quick = Array.from({ length: 100 }, (_, i) =>
      queue.run(
        'get',
        async () => i,
        (v) => v * 2,
      ),
    );
    expect(await Promise.all(quick)).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    const second = queue.run('get', never, String).catch((e) => e);
    const firstErr = await hung;
    expect(isSessionError(firstErr, 'UNAVAILABLE')).toBe(true);
    // The second started 40 ms later, so it is still waiting when the first expires.
    expect(queue.pending).toBe(1);
    expect(isSessionError(await second, 'UNAVAILABLE')).toBe(true);
    expect(queue.pending).toBe(0);
  });

  test('thousands of calls, replies out of order: every one settles once, nothing stays queued', async () => {
    const queue = queueOf(200);
    const calls = Array.from({ length: 5_000 }, (_, i) =>
      queue.run(
        'get',
        // Every seventh never answers; the rest answer in a shuffled order within 20 ms.
        () => (i % 7 === 0 ? never() : later((i * 7919) % 20, i)),
        (v) => v,
      ),
    );
    const outcomes = await Promise.allSettled(calls);
    const expired = outcomes.filter((o) => o.status === 'rejected');
    expect(expired).toHaveLength(Math.ceil(5_000 / 7));
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') expect(o.value).toBe(i);
    });
    expect(queue.pending).toBe(0);
  });
});
