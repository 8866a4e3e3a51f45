/**
 * `@sessions/conformance/vitest`: the suite as vitest tests, one per check, grouped by concern.
 * ESM only, like vitest itself.
 */
import { describe, test } from 'vitest';
import type { Check } from './check.js';
import {
  checkTimeout,
  DEFAULT_BUDGET_MS,
  executeCheck,
  type RunOptions,
  selectChecks,
} from './run.js';
import type { StoreFactory } from './types.js';

/**
 * Options of {@link describeStore}: which checks to register (`filter`), and the settings of
 * the session-manager checks (`manager`), as for `runChecks`.
 */
export type DescribeStoreOptions = RunOptions;

/**
 * Register every check that applies to the backend, the session-manager checks included, as a
 * vitest test named `[rule] title`, grouped by concern. Call it once per backend, at the top
 * level of a test file: it is the whole suite (there is nothing else to call).
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { describeStore } from '@sessions/conformance/vitest';
 * import { MemoryBackend, MemoryStore } from '@sessions/core';
 * import { memoryRaw } from '@sessions/conformance';
 *
 * const backend = new MemoryBackend();
 * describeStore(
 *   {
 *     name: 'memory',
 *     capabilities: { nativeExpiry: 'none' },
 *     create: ({ namespace, clock, codec }) => new MemoryStore({ backend, namespace, clock, codec }),
 *     raw: (_store, { namespace }) => memoryRaw(backend, namespace),
 *   },
 *   // Optional: a smaller manager concurrency check for a slow backend.
 *   { manager: { increments: 500, inFlight: 50 } },
 * );
 * ```
 */
export function describeStore(factory: StoreFactory, options: DescribeStoreOptions = {}): void {
  const byConcern = new Map<string, Check[]>();
  for (const check of selectChecks(factory, options)) {
    const list = byConcern.get(check.concern) ?? [];
    list.push(check);
    byConcern.set(check.concern, list);
  }
  // The run's budget starts with its first check, whenever vitest gets to it.
  let budget: AbortSignal | undefined;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const runSignal = () => {
    budget ??= AbortSignal.timeout(budgetMs);
    return options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  };
  describe(`${factory.name} store conformance`, () => {
    for (const [concern, list] of byConcern) {
      describe(concern, () => {
        for (const check of list) {
          // vitest's own timeout sits above the check's, so the check reports its own.
          test(
            `[${check.rule}] ${check.title}`,
            async () => {
              const signal = runSignal();
              if (signal.aborted) {
                const why = budget?.aborted
                  ? `the run's budget of ${budgetMs} ms ran out`
                  : 'the run was stopped';
                throw new Error(`not run: ${why}`);
              }
              const result = await executeCheck(factory, check, { signal });
              if (result.error) throw result.error;
            },
            checkTimeout(factory, check) + 15_000,
          );
        }
      });
    }
  });
}
