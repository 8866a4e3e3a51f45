/**
 * `@sessions/conformance`: the session store contract in executable form. Every built-in store
 * passes these checks; a new backend wires them in about twenty lines and passes them too.
 *
 * This entry has no test-runner dependency (it can be `require`d from CommonJS). The vitest
 * wiring lives in `@sessions/conformance/vitest`.
 *
 * @example
 * ```ts
 * import { runChecks } from '@sessions/conformance';
 * const failed = (await runChecks(factory)).filter((r) => !r.ok);
 * ```
 *
 * @packageDocumentation
 */

import type { Check } from './check.js';
import { allChecks } from './checks/index.js';

export type { Check, CheckContext, CheckSpec, OpenedStore, OpenOptions } from './check.js';
export { defineChecks, hasList, hasNativeExpiry, hasPrune } from './check.js';
export { FakeClock } from './clock.js';
export type { ManagerCheck, ManagerCheckOptions } from './manager-checks/index.js';
export { createManagerChecks, managerChecks } from './manager-checks/index.js';
export { memoryRaw } from './memory-raw.js';
export type { RuleId } from './rules.js';
export { RULES } from './rules.js';
export type { CheckFilter, CheckResult, RunOptions } from './run.js';
export { checkTimeout, executeCheck, runChecks, selectChecks } from './run.js';
export type { RawAccess, StoreCapabilities, StoreFactory, StoreFactoryContext } from './types.js';
export { eventually, randomKey, randomToken } from './util.js';

/** Every check of the suite (for every backend; `selectChecks` narrows to one). */
export const checks: readonly Check[] = allChecks;
