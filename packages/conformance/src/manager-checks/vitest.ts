/**
 * The manager checks as vitest tests: one test per check, in a describe block per backend.
 */
import { describe, test } from 'vitest';
import type { StoreFactory } from '../types.js';
import { createManagerChecks, type ManagerCheckOptions } from './index.js';

/**
 * Register every manager check for a backend. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts of a store
 * describeStore(factory);
 * describeManager(factory, { increments: 500, inFlight: 50 }); // smaller on a slow backend
 * ```
 */
export function describeManager(factory: StoreFactory, options: ManagerCheckOptions = {}): void {
  describe(`${factory.name} session manager`, () => {
    for (const check of createManagerChecks(options)) {
      // Bounded like every test, with room for the concurrency check on a remote backend.
      test(`[${check.id}] ${check.title}`, () => check.run(factory), 120_000);
    }
  });
}
