/**
 * `@sessions/conformance`: the session store contract in executable form. Every built-in store
 * passes these checks; a new backend wires them in about twenty lines and passes them too.
 *
 * One check model: the store checks and the session-manager checks are all {@link Check}s
 * (a rule id, `applies`, a timeout), run by one runner (`runChecks`, `executeCheck`, and
 * `describeStore` in `@sessions/conformance/vitest`), on one {@link FakeClock}.
 *
 * This entry has no test-runner dependency (it can be `require`d from CommonJS, and vitest
 * need not be installed). The vitest wiring lives in `@sessions/conformance/vitest` (ESM).
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
import { storeChecks } from './checks/index.js';
import { createManagerChecks } from './manager-checks/index.js';

export type { Check, CheckContext, CheckSpec, OpenedStore, OpenOptions } from './check.js';
export { defineChecks, hasList, hasNativeExpiry, hasPrune } from './check.js';
export { FakeClock } from './clock.js';
export type { ManagerCheckOptions } from './manager-checks/index.js';
export { createManagerChecks } from './manager-checks/index.js';
export { memoryRaw } from './memory-raw.js';
export type { RuleId } from './rules.js';
export { RULES } from './rules.js';
export type { CheckFilter, CheckResult, RunOptions } from './run.js';
export { checkTimeout, executeCheck, runChecks, selectChecks } from './run.js';
export type { RawAccess, StoreCapabilities, StoreFactory, StoreFactoryContext } from './types.js';
export { eventually, randomKey, randomToken } from './util.js';

/**
 * Every check of the suite, for every backend: the store checks, then the session-manager
 * checks (concern `manager`) with their default settings. `selectChecks` narrows them to one
 * backend.
 */
export const checks: readonly Check[] = [...storeChecks, ...createManagerChecks()];
