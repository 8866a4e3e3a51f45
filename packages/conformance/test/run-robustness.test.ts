// The suite cannot be crashed or stalled by the store it tests: anything a store rejects with
// is described safely, a run has an overall budget, and a stopped check stops calling the store.

import {
  type Check,
  executeCheck,
  memoryRaw,
  runChecks,
  type StoreFactory,
} from '@sessions/conformance';
import { MemoryBackend, MemoryStore, type SessionStore } from '@sessions/core';
import { describe, expect, test } from 'vitest';

/** A memory factory whose stores are passed through `wrap` first. */
function factoryOf(wrap: (store: MemoryStore<unknown>) => SessionStore<unknown>): StoreFactory {
  const backend = new MemoryBackend();
  return {
    name: 'wrapped memory',
    capabilities: { nativeExpiry: 'none' },
    create: ({ namespace, clock, codec }) =>
      wrap(new MemoryStore<unknown>({ backend, namespace, clock, codec, pruneInterval: 0 })),
    raw: (_store, { namespace }) => memoryRaw(backend, namespace),
  };
}

/** `store` with `get` rejecting with `reason()` every time. */
function rejectingGet(store: MemoryStore<unknown>, reason: () => unknown): SessionStore<unknown> {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'get') return () => Promise.reject(reason());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function errorWithThrowingMessage(): Error {
  const err = new Error('x');
  Object.defineProperty(err, 'message', {
    get() {
      throw new Error('the message getter threw');
    },
  });
  return err;
}

describe('anything a store rejects with is described, and the run goes on', () => {
  const cases: Array<[string, () => unknown]> = [
    ['a null-prototype object', () => Object.create(null)],
    ['a revoked Proxy', revokedProxy],
    ['an Error whose message getter throws', errorWithThrowingMessage],
  ];
  for (const [what, reason] of cases) {
    test(`get() rejecting with ${what}`, async () => {
      const results = await runChecks(
        factoryOf((store) => rejectingGet(store, reason)),
        { filter: 'crud/' },
      );
      expect(results.length).toBeGreaterThan(0);
      const failed = results.filter((r) => !r.ok);
      expect(failed.length).toBeGreaterThan(0);
      for (const result of failed) expect(typeof result.error?.message).toBe('string');
    });
  }

  test('close() rejecting with an Error whose message getter throws', async () => {
    const factory = factoryOf(
      (store) =>
        new Proxy(store, {
          get(target, property) {
            if (property === 'close') return () => Promise.reject(errorWithThrowingMessage());
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
    );
    const results = await runChecks(factory, { filter: 'crud/', manager: false });
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.error?.message).toMatch(/close\(\) after the check failed/);
    }
  });
});

describe('a run has a budget, and a stopped check stops', () => {
  test('a store whose every call hangs costs the budget, not a timeout per check', async () => {
    const hanging = factoryOf(
      () =>
        new Proxy({} as SessionStore<unknown>, {
          get: (_target, property) =>
            property === 'maxPayloadBytes' ? 1024 : () => new Promise<never>(() => {}),
        }),
    );
    const started = performance.now();
    const results = await runChecks(hanging, { budgetMs: 1_500 });
    // Generous: the budget, one short close, and a loaded machine. Without a budget this takes
    // about an hour (20 s per check).
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(results.length).toBeGreaterThan(50);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(
      results.filter((r) => /^not run: the run's budget/.test(r.error?.message ?? '')).length,
    ).toBeGreaterThan(50);
  }, 30_000);

  test('the run stops when its signal aborts', async () => {
    const stop = new AbortController();
    stop.abort(new Error('enough'));
    const results = await runChecks(
      factoryOf((s) => s),
      { signal: stop.signal, filter: 'crud/' },
    );
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.error?.message === 'not run: the run was stopped')).toBe(true);
  });

  test('a check that timed out cannot go on calling the store in the background', async () => {
    let calls = 0;
    const counting = factoryOf(
      (store) =>
        new Proxy(store, {
          get(target, property) {
            const value: unknown = Reflect.get(target, property, target);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (property === 'get') calls++;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        }),
    );
    const looping: Check = {
      id: 'self-test/loops-forever',
      concern: 'self-test',
      rule: 'CRUD',
      title: 'calls get() forever',
      timeoutMs: 200,
      async run({ open }) {
        const { store } = await open();
        for (;;) {
          await store.get('k').catch(() => {});
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    };
    const result = await executeCheck(counting, looping);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/did not finish within 200 ms/);
    const afterTheCheck = calls;
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(afterTheCheck);
  });
});
