// Background work has no caller: its failures go to onBackgroundError, by default to a
// rate-limited process warning, and never vanish.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { isSessionError } from '../../src/errors.js';
import { reportToWarnings } from '../../src/kit/index.js';
import { later, pruningStoreOn, scriptedDriver, storeOn } from './scripted-driver.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the background prune', () => {
  test('runs every pruneInterval, and its failures reach onBackgroundError as typed errors', async () => {
    const errors: Error[] = [];
    let runs = 0;
    const store = pruningStoreOn(
      scriptedDriver({
        prune: () => {
          runs++;
          return Promise.reject(new Error('server down'));
        },
      }) as never,
      { pruneInterval: 20, onBackgroundError: (err) => errors.push(err) },
    );
    await later(110, undefined);
    await store.close();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBe(runs);
    expect(isSessionError(errors[0], 'UNAVAILABLE')).toBe(true);
    expect((errors[0] as Error).message).toMatch(/prune failed: server down/);
    const after = runs;
    await later(60, undefined);
    expect(runs).toBe(after);
  });

  test('runs one prune at a time, and stops at close() without reporting the one cut short', async () => {
    const errors: Error[] = [];
    let running = 0;
    let most = 0;
    const store = pruningStoreOn(
      scriptedDriver({
        prune: async () => {
          most = Math.max(most, ++running);
          await later(60, undefined);
          running--;
          return 0;
        },
      }) as never,
      { pruneInterval: 10, onBackgroundError: (err) => errors.push(err) },
    );
    await later(100, undefined);
    await store.close();
    await later(80, undefined);
    expect(most).toBe(1);
    expect(errors).toEqual([]);
  });

  test('is off with pruneInterval 0; prune() still works', async () => {
    let runs = 0;
    const store = pruningStoreOn(
      scriptedDriver({
        prune: () => {
          runs++;
          return 4;
        },
      }) as never,
      { pruneInterval: 0 },
    );
    await later(50, undefined);
    expect(runs).toBe(0);
    await expect(store.prune()).resolves.toBe(4);
  });

  test('a throwing onBackgroundError becomes a warning, never an uncaught error', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const store = pruningStoreOn(
      scriptedDriver({ prune: () => Promise.reject(new Error('down')) }) as never,
      {
        pruneInterval: 10,
        onBackgroundError: () => {
          throw new Error('logger broke');
        },
      },
    );
    await later(50, undefined);
    await store.close();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/onBackgroundError threw .*logger broke/);
  });

  test('a store whose backend expires records itself refuses pruneInterval', () => {
    expect(() => storeOn(scriptedDriver(), { pruneInterval: 1000 })).toThrow(
      /has no background prune/,
    );
  });
});

describe('the default report', () => {
  test('is a process warning, at most one a minute, counting the ones held back', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let now = 0;
    const report = reportToWarnings('@sessions/test', () => now);
    report(new Error('first'));
    report(new Error('second'));
    now = 30_000;
    report(new Error('third'));
    now = 60_000;
    report(new Error('fourth'));
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      '[@sessions/test] background work failed: first',
      '[@sessions/test] background work failed (2 more since the last warning): fourth',
    ]);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'SESSIONS_BACKGROUND_ERROR' });
  });
});
