// The background prune at its edges: a store can turn it off (its backend expires records), a
// paged prune cut short by close() is neither reported nor continued, and an onBackgroundError
// that throws becomes a warning carrying the kit's code.
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  DriverStore,
  NextPage,
  PruningDriverStore,
  type StoreDriver,
} from '../../src/kit/index.js';
import type { PruningStoreOptions } from '../../src/types.js';
import { later, pruningStoreOn, SOURCE, scriptedDriver } from './scripted-driver.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('background prune edges', () => {
  test('a store that declares backgroundPrune: false never prunes on a timer', async () => {
    const driver = scriptedDriver();
    class NativeExpiryStore extends PruningDriverStore<unknown, never> {
      constructor(options: PruningStoreOptions<unknown>) {
        super(options, { source: SOURCE, driver: () => driver as never, backgroundPrune: false });
      }
    }
    const store = new NativeExpiryStore({ pruneInterval: 5 });
    await later(40, undefined);
    expect(driver.calls).toEqual([]);
    expect(await store.prune()).toBe(0); // prune() itself still works
    await store.close();
  });

  test('a paged prune cut short by close() is not reported, and asks for no further page', async () => {
    const errors: Error[] = [];
    const driver = scriptedDriver({
      prune: async () => {
        await later(15, undefined);
        return new NextPage(1, 'more');
      },
    });
    const store = pruningStoreOn(driver as never, {
      pruneInterval: 5,
      onBackgroundError: (err) => errors.push(err),
    });
    await later(12, undefined); // the first prune is under way
    await store.close();
    const pages = driver.calls.filter((c) => c === 'prune').length;
    await later(60, undefined);
    expect(driver.calls.filter((c) => c === 'prune').length).toBe(pages);
    expect(errors).toEqual([]);
  });

  test('an onBackgroundError that throws becomes a SESSIONS_BACKGROUND_ERROR warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const store = pruningStoreOn(
      scriptedDriver({ prune: () => Promise.reject(new Error('server down')) }) as never,
      {
        pruneInterval: 5,
        onBackgroundError: () => {
          throw new Error('logger down');
        },
      },
    );
    await later(30, undefined);
    await store.close();
    expect(warn).toHaveBeenCalled();
    const [message, options] = warn.mock.calls[0] as [string, { code: string }];
    expect(message).toMatch(/onBackgroundError threw while reporting/);
    expect(options).toEqual({ code: 'SESSIONS_BACKGROUND_ERROR' });
  });

  test('a store whose driver has no prune primitive prunes nothing, and says so', async () => {
    const { prune: _none, ...driver } = scriptedDriver();
    class ExpiringStore extends DriverStore<unknown, StoreDriver> {
      constructor() {
        super({}, { source: SOURCE, driver: () => driver });
      }
      prune(): Promise<number> {
        return this.runPrune();
      }
    }
    const store = new ExpiringStore();
    expect(await store.prune()).toBe(0);
    await store.close();
  });
});
