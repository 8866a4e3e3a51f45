/**
 * The session-manager checks: the manager's guarantees (fixation, rotation, termination, no
 * lost updates, an atomic "log out everywhere", timeouts, hashing at rest) proved on a real backend, for every store. They are
 * ordinary {@link Check}s (concern `manager`, rules `MANAGER-*`), run by the same runner as the
 * store checks; this module only binds them to their settings.
 */
import type { Check } from '../check.js';
import { atRestChecks } from './at-rest.js';
import { concurrencyChecks } from './concurrency.js';
import { fixationChecks } from './fixation.js';
import type { ManagerCheckOptions } from './harness.js';
import { logOutEverywhereChecks } from './log-out-everywhere.js';
import { rotationChecks } from './rotation.js';
import { terminationChecks } from './termination.js';
import { timeoutChecks } from './timeouts.js';

export type { ManagerCheckOptions } from './harness.js';

/** A manager check drives many round trips through the manager: more room than a store check. */
const MANAGER_CHECK_TIMEOUT_MS = 60_000;

/**
 * The session-manager checks with these settings, as plain {@link Check}s. `checks`,
 * `runChecks` and `describeStore` already include them (with the `manager` option of
 * `runChecks` / `describeStore` for the settings); call this only to run them on your own.
 *
 * @example
 * ```ts
 * // A smaller concurrency check for a slow backend:
 * for (const check of createManagerChecks({ increments: 500, inFlight: 50 })) {
 *   const { ok, error } = await executeCheck(factory, check);
 * }
 * ```
 */
export function createManagerChecks(options: ManagerCheckOptions = {}): Check[] {
  return [
    ...fixationChecks(options),
    ...rotationChecks(options),
    ...terminationChecks(options),
    ...logOutEverywhereChecks(options),
    ...concurrencyChecks(options),
    ...timeoutChecks(options),
    ...atRestChecks(options),
  ].map((check) => ({ timeoutMs: MANAGER_CHECK_TIMEOUT_MS, ...check }));
}
