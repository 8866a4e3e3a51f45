// The in-flight limit a store opts into (`maxInFlight`): a bounded number of operations reach
// the driver, the others wait within their deadline, a queue that cannot be served in time is
// turned away early, and a refused connection fails the queue at once. A scripted driver stands
// in for the backend; DynamoDB's failure tests run the same limit against DynamoDB Local.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { isSessionError } from '../../src/errors.js';
import { InFlightLimit } from '../../src/kit/in-flight-limit.js';
import { Call } from '../../src/kit/operation.js';
import { resolveStoreOptions } from '../../src/kit/options.js';
import {
  later,
  never,
  type Rejection,
  rejection,
  SOURCE,
  scriptedDriver,
  storeOn,
} from './scripted-driver.js';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('maxInFlight', () => {
  test('at most maxInFlight operations reach the driver; the others start in arrival order', async () => {
    const pending: Array<{ key: string; done: (value: undefined) => void }> = [];
    const driver = scriptedDriver({
      get: (key) => {
        const d = deferred<undefined>();
        pending.push({ key, done: d.resolve });
        return d.promise;
      },
    });
    const store = storeOn(driver, {}, { maxInFlight: 2 });
    const gets = ['a', 'b', 'c', 'd', 'e'].map((key) => store.get(key));
    await sleep(5);
    expect(pending.map((p) => p.key)).toEqual(['a', 'b']);
    pending[1]?.done(undefined);
    await sleep(5);
    expect(pending.map((p) => p.key)).toEqual(['a', 'b', 'c']);
    for (const p of pending) p.done(undefined);
    await sleep(5);
    for (const p of pending) p.done(undefined);
    await Promise.all(gets);
    expect(pending.map((p) => p.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('an operation whose deadline passes in the queue fails with a TimeoutError and never starts', async () => {
    const driver = scriptedDriver({ get: () => never() });
    const store = storeOn(driver, { operationTimeout: 50 }, { maxInFlight: 1 });
    const [first, queued] = [rejection(store.get('a')), rejection(store.get('b'))];
    for (const err of await Promise.all([first, queued])) {
      expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
      expect(err.cause?.name).toBe('TimeoutError');
    }
    expect(driver.calls).toEqual(['get']);
  });

  test('a queue that cannot be served in time is turned away early: UNAVAILABLE, OverloadError as cause', async () => {
    // One place, 20 ms per operation, a 400 ms bound: about 40 of 200 can be served.
    const started = new Set<string>();
    const driver = scriptedDriver({
      get: (key) => {
        started.add(key);
        return later(20, undefined);
      },
      // Even a driver that calls everything a bug cannot disguise the kit's own refusal.
      classify: () => 'bug',
    });
    const store = storeOn(driver, { operationTimeout: 400 }, { maxInFlight: 1 });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.get(`k${i}`).then(
          () => undefined,
          (err: unknown) => err as Rejection,
        ),
      ),
    );
    const isShed = (err: Rejection | undefined) => err?.cause?.name === 'OverloadError';
    const shed = outcomes.filter(isShed);
    expect(outcomes.filter((err) => err === undefined).length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThan(100);
    for (const err of shed) {
      expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
      expect(err?.message).toMatch(
        /^\[@sessions\/test\] get failed: \d+ operations were queued under a limit of 1 in flight/,
      );
    }
    // The shed operations never reached the driver.
    outcomes.forEach((err, i) => {
      if (isShed(err)) expect(started.has(`k${i}`)).toBe(false);
    });
  });

  test('a refused connection fails every queued operation at once, with it as the cause', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const driver = scriptedDriver({
      get: () => later(10, undefined).then(() => Promise.reject(refused)),
    });
    const store = storeOn(driver, { operationTimeout: 10_000 }, { maxInFlight: 1 });
    const errors = await Promise.all(
      Array.from({ length: 50 }, (_, i) => rejection(store.get(`k${i}`))),
    );
    for (const err of errors) {
      expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
      expect(err.cause).toBe(refused);
    }
    expect(driver.calls).toEqual(['get']);
  });

  test('close() and a store’s own extras do not wait for a place', async () => {
    const driver = scriptedDriver({ get: () => never() });
    const store = storeOn(driver, { operationTimeout: 10_000 }, { maxInFlight: 1 });
    void store.get('a').catch(() => undefined);
    await expect(store.extra(() => 'done')).resolves.toBe('done');
    await store.close();
    expect(driver.calls).toEqual(['get', 'close']);
  });

  test('a place that comes free after the deadline does not start the work', async () => {
    const limit = new InFlightLimit(1, SOURCE);
    const holder = deferred<void>();
    const held = limit.run(new Call('get', 0, 10_000), () => holder.promise);
    let started = false;
    // Not tracked by the kit's deadlines: only the limit's own check can stop it.
    const late = rejection(
      limit.run(new Call('get', 0, 1), () => {
        started = true;
      }),
    );
    await sleep(10);
    holder.resolve();
    await held;
    const err = await late;
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect(err.cause?.name).toBe('TimeoutError');
    expect(started).toBe(false);
    // Its place went back to the pool.
    expect(limit.acquire(new Call('get', 0, 1000))).toBeUndefined();
  });

  test('declared by the store, validated once; a store without it refuses the option', () => {
    const spec = { source: SOURCE, maxInFlight: 64 };
    expect(resolveStoreOptions(undefined, spec, false).maxInFlight).toBe(64);
    expect(resolveStoreOptions({ maxInFlight: 3 } as never, spec, false).maxInFlight).toBe(3);
    expect(resolveStoreOptions(undefined, { source: SOURCE }, false).maxInFlight).toBe(0);
    for (const bad of [0, 1.5, '8', 2 ** 31]) {
      expect(() => resolveStoreOptions({ maxInFlight: bad } as never, spec, false)).toThrow(
        /maxInFlight must be an integer/,
      );
    }
    expect(() =>
      resolveStoreOptions({ maxInFlight: 3 } as never, { source: SOURCE }, false),
    ).toThrow(/no in-flight limit/);
  });
});
