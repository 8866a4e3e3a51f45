/**
 * `@sessions/soak`: every store under steady mixed load with session churn (creates, compare-
 * and-set updates, touches, expiries, prunes, deletes by user) from several app processes,
 * checked for memory growth, unbounded storage, latency drift, handles left after `close()`
 * and acknowledged writes lost (read back through raw backend access).
 *
 * @example
 * ```ts
 * import { runSoak, soakChecks, sqliteBackend } from '@sessions/soak';
 * const run = await runSoak({ backend: sqliteBackend, durationMs: 60_000 });
 * console.log(soakChecks(run).filter((check) => !check.passed));
 * ```
 */

export { dynamodbBackend } from './backends/dynamodb.js';
export {
  BACKENDS,
  backendNamed,
  type Deployment,
  type RawProbe,
  type SoakBackend,
} from './backends/index.js';
export { memoryBackend } from './backends/memory.js';
export { mongodbBackend } from './backends/mongodb.js';
export { postgresBackend } from './backends/postgres.js';
export { redisBackend } from './backends/redis.js';
export { sqliteBackend } from './backends/sqlite.js';
export {
  HEAP_TOLERANCE,
  LATENCY_TOLERANCE,
  median,
  phases,
  RSS_TOLERANCE,
  type SoakCheck,
  STORAGE_TOLERANCE,
  soakChecks,
} from './criteria.js';
export {
  CI_DURATION_MS,
  CI_STORES,
  parseCommand,
  parseDuration,
  type SoakCommand,
} from './options.js';
export { checkLines, soakTable } from './report.js';
export {
  runSoak,
  type SoakOptions,
  type SoakRun,
  type WindowFigures,
  windowLength,
} from './run-soak.js';
export type { StoreWrap, WorkerConfig } from './types.js';
