/**
 * The session-manager checks: the manager's guarantees (fixation, rotation, termination, no
 * lost updates, timeouts, hashing at rest) proved on a real backend, for every store.
 *
 * @example
 * ```ts
 * for (const check of managerChecks) await check.run(factory);
 * ```
 */
import { atRestChecks } from './at-rest.js';
import { concurrencyChecks } from './concurrency.js';
import { fixationChecks } from './fixation.js';
import type { ManagerCheckOptions } from './harness.js';
import type { ManagerCheck } from './manager-check.js';
import { rotationChecks } from './rotation.js';
import { terminationChecks } from './termination.js';
import { timeoutChecks } from './timeouts.js';

export type { ManagerCheckOptions } from './harness.js';
export type { ManagerCheck } from './manager-check.js';

/**
 * The manager checks with custom settings: a smaller concurrency check for a slow backend, or
 * extra manager options.
 *
 * @example
 * ```ts
 * const checks = createManagerChecks({ increments: 500, inFlight: 50 });
 * ```
 */
export function createManagerChecks(options: ManagerCheckOptions = {}): ManagerCheck[] {
  return [
    ...fixationChecks(options),
    ...rotationChecks(options),
    ...terminationChecks(options),
    ...concurrencyChecks(options),
    ...timeoutChecks(options),
    ...atRestChecks(options),
  ];
}

/** Every manager check with the defaults (2,000 increments at 200 in flight). */
export const managerChecks: ManagerCheck[] = createManagerChecks();
