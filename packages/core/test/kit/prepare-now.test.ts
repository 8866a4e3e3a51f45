// A store's own preparation step (an ensureIndexes(), through prepareNow): it counts as the
// preparation, never waits for a place under the in-flight limit, and works on a driver with
// nothing to prepare; and the first operation after a preparation gets the driver's answer.
import { describe, expect, test } from 'vitest';
import { never, scriptedDriver, storeOn } from './scripted-driver.js';

const record = { data: '{"n":1}', expiresAt: Date.now() + 60_000, version: 1, userId: undefined };

describe('prepareNow', () => {
  test('on a driver with nothing to prepare, resolves at once', async () => {
    const store = storeOn(scriptedDriver());
    await expect(store.ensure()).resolves.toBeUndefined();
    await store.close();
  });

  test('on a fresh store prepares once, not first automatically and then again', async () => {
    const driver = scriptedDriver({ prepare: async () => undefined });
    const store = storeOn(driver);
    await store.ensure();
    expect(driver.calls).toEqual(['prepare']);
    await store.close();
  });

  test('counts as the preparation: the operations after it do not prepare again', async () => {
    const driver = scriptedDriver({ prepare: async () => undefined });
    const store = storeOn(driver);
    await store.ensure();
    const before = driver.calls.length;
    await store.get('k');
    await store.get('k');
    expect(driver.calls.slice(before)).toEqual(['get', 'get']);
    await store.close();
  });

  test('does not wait for a place under the in-flight limit', async () => {
    const driver = scriptedDriver({ prepare: async () => undefined, get: () => never() });
    const store = storeOn(
      driver,
      { operationTimeout: 200 },
      { autoPrepare: false, maxInFlight: 1 },
    );
    const held = store.get('k').catch(() => undefined); // takes the only place, never returns
    await expect(store.ensure()).resolves.toBeUndefined();
    await held;
    await store.close();
  });

  test('the first operation after an automatic preparation gets what the driver answered', async () => {
    const driver = scriptedDriver({ prepare: async () => undefined, get: () => record });
    const store = storeOn(driver);
    expect((await store.get('k'))?.data).toEqual({ n: 1 });
    await store.close();
  });
});
