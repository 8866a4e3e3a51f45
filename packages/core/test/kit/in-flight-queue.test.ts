// The in-flight limit's queue at its edges: a waiter whose call is abandoned leaves the queue
// (the place goes to the next one), and only a refused connection fails the whole queue: any
// other failure, or an odd value thrown, leaves the waiters to their turn.
import { describe, expect, test } from 'vitest';
import { deadlineExceeded } from '../../src/kit/deadlines.js';
import { InFlightLimit } from '../../src/kit/in-flight-limit.js';
import { Call } from '../../src/kit/operation.js';
import { later, rejection, SOURCE, scriptedDriver, storeOn } from './scripted-driver.js';

describe('the in-flight queue', () => {
  test('an abandoned waiter leaves the queue with its call’s reason; the place goes to the next', async () => {
    const limit = new InFlightLimit(1, SOURCE);
    const call = (name: string) => new Call(name, 0, 10_000);
    expect(limit.acquire(call('first'))).toBeUndefined();
    const abandoned = call('abandoned');
    const waiting = limit.acquire(abandoned)?.then(
      () => 'granted',
      (reason: unknown) => reason,
    );
    const next = limit.acquire(call('next'))?.then(() => 'granted');
    abandoned.expire(deadlineExceeded(SOURCE, 'abandoned', 10_000));
    const reason = await Promise.race([waiting, later(200, 'still queued')]);
    expect(reason).toBe(abandoned.signal.reason);
    expect((reason as Error).name).toBe('TimeoutError');
    limit.release(); // the first is done
    expect(await Promise.race([next, later(200, 'still queued')])).toBe('granted');
  });

  test.each([
    ['an ordinary failure', () => new Error('timeout reading reply')],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
  ])('%s fails only its own operation; the queue goes on', async (_, thrown) => {
    let first = true;
    const driver = scriptedDriver({
      get: () => {
        if (!first) return undefined;
        first = false;
        return later(10, undefined).then(() => Promise.reject(thrown()));
      },
    });
    const store = storeOn(driver, { operationTimeout: 5_000 }, { maxInFlight: 1 });
    const failed = rejection(store.get('a'));
    const queued = store.get('b');
    expect((await failed).code).toBe('UNAVAILABLE');
    await expect(queued).resolves.toBeUndefined();
    await store.close();
  });
});
