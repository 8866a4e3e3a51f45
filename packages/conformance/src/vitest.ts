/**
 * `@sessions/conformance/vitest`: the suite as vitest tests, one per check, grouped by concern.
 */
import { describe, test } from 'vitest';
import type { Check } from './check.js';
import type { ManagerCheckOptions } from './manager-checks/index.js';
import { describeManager } from './manager-checks/vitest.js';
import { type CheckFilter, checkTimeout, executeCheck, selectChecks } from './run.js';
import type { StoreFactory } from './types.js';

/** Options of {@link describeStore}. */
export interface DescribeStoreOptions {
  /** Register only the matching checks (an id substring, an id pattern, or a predicate). */
  filter?: CheckFilter;
  /**
   * The session-manager checks, run on this store too (fixation, rotation, no lost updates,
   * timeouts, hashing at rest). Settings for a slow backend, or `false` to leave them out
   * (only for a store that is not meant to back the manager).
   */
  manager?: ManagerCheckOptions | false;
}

export { describeManager };

/**
 * Register every check that applies to the backend as a vitest test named `[rule] title`,
 * grouped by concern. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { describeStore } from '@sessions/conformance/vitest';
 * import { MemoryBackend, MemoryStore } from '@sessions/core';
 * import { memoryRaw } from '@sessions/conformance';
 *
 * const backend = new MemoryBackend();
 * describeStore({
 *   name: 'memory',
 *   capabilities: { nativeExpiry: 'none' },
 *   create: ({ namespace, clock, codec }) => new MemoryStore({ backend, namespace, clock, codec }),
 *   raw: (_store, { namespace }) => memoryRaw(backend, namespace),
 * });
 * ```
 */
export function describeStore(factory: StoreFactory, options: DescribeStoreOptions = {}): void {
  if (options.manager !== false && options.filter === undefined) {
    describeManager(factory, options.manager ?? {});
  }
  const byConcern = new Map<string, Check[]>();
  for (const check of selectChecks(factory, options.filter)) {
    const list = byConcern.get(check.concern) ?? [];
    list.push(check);
    byConcern.set(check.concern, list);
  }
  describe(`${factory.name} store conformance`, () => {
    for (const [concern, list] of byConcern) {
      describe(concern, () => {
        for (const check of list) {
          // vitest's own timeout sits above the check's, so the check reports its own.
          test(
            `[${check.rule}] ${check.title}`,
            async () => {
              const result = await executeCheck(factory, check);
              if (result.error) throw result.error;
            },
            checkTimeout(factory, check) + 15_000,
          );
        }
      });
    }
  });
}
