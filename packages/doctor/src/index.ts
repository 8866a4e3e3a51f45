/**
 * `@sessions/doctor`: checks a session store's configuration and an app's session cookie, as a
 * function (`runDoctor`) and a CLI (`sessions-doctor`) with the same checks.
 */

export { SKEW_FAIL_MS, SKEW_WARN_MS } from './checks/clock-skew.js';
export { MAX_COOKIE_BYTES } from './checks/cookie-rules.js';
export { SLOW_STEP_MS } from './checks/round-trip.js';
export { DoctorError, type DoctorErrorCode } from './errors.js';
export { formatReport } from './report.js';
export { DEFAULT_TIMEOUT_MS, runDoctor } from './run-doctor.js';
export type { CheckResult, CheckStatus, DoctorOptions, DoctorReport } from './types.js';
