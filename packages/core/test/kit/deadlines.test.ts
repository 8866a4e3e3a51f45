// The one deadline: every call settles exactly once, by its result or by its deadline, the
// signal tells the driver to stop, and a late result is never used.
import { performance } from 'node:perf_hooks';
import { describe, expect, test } from 'vitest';
import { isSessionError } from '../../src/errors.js';
import { Deadlines } from '../../src/kit/deadlines.js';
import type { Operation } from '../../src/kit/index.js';
import { Call } from '../../src/kit/operation.js';
import { later, never, rejection, SOURCE, scriptedDriver, storeOn } from './scripted-driver.js';

describe('a call that does not finish in time', () => {
  test('rejects with UNAVAILABLE (TimeoutError cause), aborts its signal, and its late result is ignored', async () => {
    let op: Operation | undefined;
    let decoded = 0;
    const driver = scriptedDriver({
      get: (_key, o) => {
        op = o;
        return later(150, {
          get data() {
            decoded++;
            return '1';
          },
          expiresAt: Date.now() + 60_000,
          version: 1,
        });
      },
    });
    const store = storeOn(driver, { operationTimeout: 50 });
    const started = performance.now();
    const err = await rejection(store.get('k'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/get did not complete within 50 ms/);
    expect(err.cause?.name).toBe('TimeoutError');
    expect(op?.expired).toBe(true);
    expect(op?.signal.aborted).toBe(true);
    expect(op?.signal.reason).toBe(err.cause);
    await later(150, undefined);
    expect(decoded).toBe(0);
  });

  test('a signal first asked for after the deadline is already aborted', async () => {
    let op: Operation | undefined;
    const store = storeOn(
      scriptedDriver({
        get: (_k, o) => {
          op = o;
          return never();
        },
      }),
      { operationTimeout: 20 },
    );
    await rejection(store.get('k'));
    expect(op?.signal.aborted).toBe(true);
    expect(op?.remaining()).toBeLessThanOrEqual(0);
  });

  test("onExpiry runs its listeners with the signal's reason before the caller hears, not once stopped, and at once when late", async () => {
    const heard: string[] = [];
    let op: Operation | undefined;
    let reason: unknown;
    let stopAfterwards: (() => void) | undefined;
    const store = storeOn(
      scriptedDriver({
        get: (_k, o) => {
          op = o;
          stopAfterwards = o.onExpiry((r) => {
            reason = r;
            heard.push('listener');
          });
          const stop = o.onExpiry(() => heard.push('stopped one'));
          stop();
          o.onExpiry(() => {
            heard.push('throwing one');
            throw new Error('listener bug');
          });
          o.onExpiry(() => heard.push('after the throwing one'));
          return never();
        },
      }),
      { operationTimeout: 20 },
    );
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const err = await rejection(store.get('k').finally(() => heard.push('caller')));
      await new Promise((resolve) => setImmediate(resolve));
      expect(heard).toEqual(['listener', 'throwing one', 'after the throwing one', 'caller']);
      expect(reason).toBe(err.cause);
      expect(uncaught).toEqual([new Error('listener bug')]);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
    // A driver's `finally` stops watching after the listeners ran: harmless.
    expect(() => stopAfterwards?.()).not.toThrow();
    let late: unknown;
    expect(op?.onExpiry((r) => (late = r))).toBeTypeOf('function');
    expect(late).toBe(reason);
  });

  test('work with a bound of its own (a table that takes minutes) gets its own timer', async () => {
    const store = storeOn(scriptedDriver(), { operationTimeout: 20 });
    await expect(store.extra(() => later(60, 'done'), 500)).resolves.toBe('done');
    const err = await rejection(store.extra(() => never(), 40));
    expect(err.message).toMatch(/extra did not complete within 40 ms/);
  });
});

describe('the shared queue', () => {
  const track = (deadlines: Deadlines, ms: number, work: Promise<number>) =>
    deadlines.track(
      new Call('get', 0, ms),
      work,
      (v) => v * 2,
      (e) => e,
    );

  test('calls behind a hung one complete, and each expires on its own deadline', async () => {
    const deadlines = new Deadlines(80, SOURCE);
    const hung = track(deadlines, 80, never()).catch((e) => e);
    await later(40, undefined);
    const quick = Array.from({ length: 100 }, (_, i) => track(deadlines, 80, Promise.resolve(i)));
    expect(await Promise.all(quick)).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    const second = track(deadlines, 80, never()).catch((e) => e);
    expect(isSessionError(await hung, 'UNAVAILABLE')).toBe(true);
    expect(deadlines.pending).toBe(1);
    expect(isSessionError(await second, 'UNAVAILABLE')).toBe(true);
    expect(deadlines.pending).toBe(0);
  });

  test('thousands of calls, results out of order: every one settles once, nothing stays queued', async () => {
    const deadlines = new Deadlines(200, SOURCE);
    const calls = Array.from({ length: 5_000 }, (_, i) =>
      track(deadlines, 200, i % 7 === 0 ? never() : later((i * 7919) % 20, i)),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(Math.ceil(5_000 / 7));
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') expect(o.value).toBe(i * 2);
    });
    expect(deadlines.pending).toBe(0);
  });

  test('a driver that answers at once is never queued', async () => {
    const store = storeOn(scriptedDriver({ get: () => undefined }), { operationTimeout: 10 });
    const results = await Promise.all(Array.from({ length: 1000 }, () => store.get('k')));
    expect(results.every((r) => r === undefined)).toBe(true);
  });
});
