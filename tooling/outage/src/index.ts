/**
 * `@sessions/outage`: the fault-injection harness. It drives any `SessionStore` through the
 * contract while a {@link FaultTarget} injures the backend (SIGKILL and restart of a server, a
 * freeze of every process of it held past the bound,
 * a lock held by another process, a deleted database file, a slow or cutting network through a
 * {@link LatencyProxy}), and records what the store did:
 * waits, failures and their codes, unhandled rejections, event-loop delay, recovery time and
 * false successes (acknowledged writes the backend does not hold). {@link outageViolations}
 * turns the figures into pass/fail; {@link reportOutage} prints them and writes
 * docs/reliability.md.
 *
 * @example
 * ```ts
 * import { outageViolations, reportOutage, runIdleKill, serverTarget } from '@sessions/outage';
 *
 * const target = serverTarget(server, { isEmptyAfterRestart: true, readBack });
 * const result = await runIdleKill({ name: 'redis (standalone)', store, target });
 * expect(outageViolations(result)).toEqual([]);
 * reportOutage([result]);
 * ```
 */

export { type CasWriterOptions, emptyCasFigures, runCasWriter } from './cas-writer.js';
export {
  type CriteriaOptions,
  DEFAULT_SLACK_MS,
  judgeOutage,
  outageViolations,
} from './criteria.js';
export { classifyError, now, OperationLog, sleep, within } from './operation-log.js';
export { type ProcessFigures, type ProcessWatch, watchProcess } from './process-watch.js';
export { DelayLine, type LineItem } from './proxy/delay-line.js';
export { LatencyProxy, type LinkConditions, type ProxyStats } from './proxy/latency-proxy.js';
export {
  BEGIN_MARKER,
  END_MARKER,
  mergeIntoMarkdown,
  outageTable,
  printOutageTable,
  reliabilityDocPath,
  reportOutage,
  writeReliabilityFigures,
} from './report.js';
export { DEFAULT_FROZEN_MS, type FreezeOptions, runFreeze } from './scenarios/freeze.js';
export { DEFAULT_BOUND_MS, HANG_GRACE_MS, type ServerScenarioOptions } from './scenarios/kit.js';
export {
  cutLevel,
  LATENCY_LEVELS,
  type LinkLevel,
  type LinkResult,
  type LinkScenarioOptions,
  runCompareAndSetOverLink,
} from './scenarios/latency.js';
export {
  type FileLossOptions,
  type HeldLock,
  type LockContentionOptions,
  runFileLoss,
  runLockContention,
} from './scenarios/local-file.js';
export {
  type BurstOptions,
  runBurst,
  runIdleKill,
  runSteadyLoad,
  type SteadyLoadOptions,
} from './scenarios/server-faults.js';
export {
  type ColdStartOptions,
  type FirstCallRaceOptions,
  runColdStart,
  runFirstCallRace,
} from './scenarios/startup.js';
export { niced, type ServerTargetOptions, serverTarget } from './server-target.js';
export { mustSurvive, type ScenarioRun, summarize } from './summarize.js';
export type {
  CasFigures,
  FaultMarks,
  FaultTarget,
  OperationKind,
  OperationSample,
  OutageResult,
} from './types.js';
export { KeySource, recordFor } from './workload.js';
