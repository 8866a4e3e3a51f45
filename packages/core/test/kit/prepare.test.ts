// One-time preparation (a table, indexes): once, shared, retried after a failure, within the
// deadline of the operation that needed it.
import { describe, expect, test } from 'vitest';
import { isSessionError } from '../../src/errors.js';
import { later, never, rejection, scriptedDriver, storeOn } from './scripted-driver.js';

describe('prepare', () => {
  test('runs once before the first operations, shared by all of them', async () => {
    let runs = 0;
    const driver = scriptedDriver({
      prepare: async () => {
        runs++;
        await later(20, undefined);
      },
    });
    const store = storeOn(driver);
    await Promise.all([store.get('a'), store.get('b'), store.delete('c')]);
    await store.get('d');
    expect(runs).toBe(1);
    expect(driver.calls.indexOf('prepare')).toBe(0);
  });

  test('a failure fails the operations that waited, and the next operation tries again', async () => {
    let runs = 0;
    const store = storeOn(
      scriptedDriver({
        prepare: async () => {
          runs++;
          if (runs === 1) throw new Error('server down');
        },
      }),
    );
    const err = await rejection(store.get('a'));
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    await expect(store.get('a')).resolves.toBeUndefined();
    expect(runs).toBe(2);
  });

  test('runs under the deadline of the operation that needed it', async () => {
    const store = storeOn(scriptedDriver({ prepare: () => never() }), { operationTimeout: 30 });
    expect(isSessionError(await rejection(store.get('a')), 'UNAVAILABLE')).toBe(true);
  });

  test('close() does not prepare: a store whose preparation never succeeded closes at once', async () => {
    let runs = 0;
    const driver = scriptedDriver({
      prepare: () => {
        runs++;
        return never();
      },
    });
    const store = storeOn(driver, { operationTimeout: 30 });
    expect(isSessionError(await rejection(store.get('a')), 'UNAVAILABLE')).toBe(true);
    await store.close();
    expect(runs).toBe(1);
    expect(driver.calls).toContain('close');
  });

  test('with autoPrepare: false, only when the store asks (an ensureIndexes())', async () => {
    let runs = 0;
    const store = storeOn(
      scriptedDriver({
        prepare: async () => {
          runs++;
        },
      }),
      {},
      { autoPrepare: false },
    );
    await store.get('a');
    expect(runs).toBe(0);
    await store.ensure();
    await store.ensure();
    expect(runs).toBe(2);
  });
});
