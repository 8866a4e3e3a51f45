// The manager checks against broken variants: they prove the checks can fail. They run through
// the same runner as every store check. (The memory store passes them in memory-store.test.ts,
// through describeStore.)
import {
  type ManagerCheckOptions,
  memoryRaw,
  runChecks,
  type StoreFactory,
} from '@sessions/conformance';
import {
  createSessionManager,
  MemoryBackend,
  MemoryStore,
  type SessionManagerOptions,
  type SessionStore,
} from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { override } from './broken/base.js';

/** A MemoryStore factory, optionally with a broken layer between the manager and the store. */
function memoryFactory(
  name: string,
  wrap: (store: SessionStore<unknown>) => SessionStore<unknown> = (store) => store,
): StoreFactory {
  const backend = new MemoryBackend();
  return {
    name,
    capabilities: { nativeExpiry: 'none' },
    create: ({ namespace, clock }) =>
      wrap(new MemoryStore<unknown>({ backend, namespace, clock, pruneInterval: 0 })),
    raw: (_store, { namespace }) => memoryRaw(backend, namespace),
  };
}

/** The ids of the manager checks that fail on `factory` with these settings. */
async function failing(options: ManagerCheckOptions, factory: StoreFactory): Promise<string[]> {
  const results = await runChecks(factory, {
    filter: (c) => c.concern === 'manager',
    manager: options,
  });
  expect(results.length).toBe(13);
  return results.filter((r) => !r.ok).map((r) => r.id);
}

describe('manager checks on the MemoryStore', () => {
  it('leave the namespaces they used empty', async () => {
    const backend = new MemoryBackend();
    const tracked: StoreFactory = {
      name: 'tracked',
      capabilities: { nativeExpiry: 'none' },
      create: ({ namespace, clock }) => new MemoryStore<unknown>({ backend, namespace, clock }),
      raw: (_store, { namespace }) => memoryRaw(backend, namespace),
    };
    expect(await failing({ increments: 20, inFlight: 5 }, tracked)).toEqual([]);
    expect([...backend.namespaces.values()].every((entries) => entries.size === 0)).toBe(true);
    expect(backend.namespaces.size).toBeGreaterThan(5);
  });
});

describe('manager checks fail on broken variants', () => {
  const small = { increments: 200, inFlight: 20, raceRounds: 60 };

  it('a store that ignores ifVersion fails the lost-update, stale-save and race checks', async () => {
    const broken = memoryFactory('ignores-ifVersion', (store) =>
      override(store, { set: (key, record) => store.set(key, record) }),
    );
    const failed = await failing(small, broken);
    expect(failed).toEqual(
      expect.arrayContaining([
        'manager/update-no-lost-increments',
        'manager/destroy-then-stale-save',
        'manager/slow-request-after-logout',
        'manager/save-race-conflict',
        'manager/regenerate',
      ]),
    );
  });

  it('a store whose deleteByUser ignores except fails destroy-all-except', async () => {
    const broken = memoryFactory('ignores-except', (store) =>
      override(store, { deleteByUser: (userId) => store.deleteByUser(userId) }),
    );
    expect(await failing(small, broken)).toEqual([
      'manager/destroy-all-except',
      'manager/destroy-all-except-then-regenerate',
    ]);
  });

  it('a "log out everywhere" that only deletes (no revocation mark) fails the race check', async () => {
    const unmarked: ManagerCheckOptions = {
      ...small,
      createManager: <D>(options: SessionManagerOptions) => {
        const manager = createSessionManager<D>(options);
        return { ...manager, destroyAllForUser: (userId) => options.store.deleteByUser(userId) };
      },
    };
    const failed = await failing(unmarked, memoryFactory('unmarked'));
    expect(failed).toContain('manager/destroy-all-races-regenerate');
  });

  it('a store that plants a record under every key it misses fails the fixation check', async () => {
    const broken = memoryFactory('adopts-keys', (store) =>
      override(store, {
        get: async (key) => {
          const found = await store.get(key);
          if (found === undefined)
            await store.set(key, { data: { adopted: true }, expiresAt: Date.now() + 60_000 });
          return found;
        },
      }),
    );
    expect(await failing(small, broken)).toContain('manager/fixation');
  });

  it('a manager that stores tokens in the clear fails the hashed-at-rest check', async () => {
    const failed = await failing(
      { ...small, managerOptions: { hashTokens: false } },
      memoryFactory('plain'),
    );
    expect(failed).toEqual(['manager/hashed-at-rest']);
  });

  it('a manager that ignores its configured limits fails both timeout checks', async () => {
    const lax: ManagerCheckOptions = {
      ...small,
      createManager: <D>(options: SessionManagerOptions) =>
        createSessionManager<D>({
          ...options,
          idleTimeout: 100 * (options.idleTimeout ?? 1),
          absoluteTimeout: 1e12,
        }),
    };
    const failed = await failing(lax, memoryFactory('lax'));
    expect(failed).toEqual(
      expect.arrayContaining(['manager/idle-timeout', 'manager/absolute-timeout']),
    );
  });
});
