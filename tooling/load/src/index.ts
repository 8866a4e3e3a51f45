/**
 * `@sessions/load`: the demo app and one app per adapter (Express, Fastify) under a thousand
 * concurrent HTTP clients, each app in a server process of its own, checked for errors (a
 * session lost or an update missed included), the server's event-loop delay and its memory.
 *
 * @example
 * ```ts
 * import { appNamed, loadChecks, runLoad } from '@sessions/load';
 * const run = await runLoad({ app: appNamed('demo'), store: 'sqlite', clients: 1000,
 *   durationMs: 120_000, thinkMs: 1000 });
 * console.log(loadChecks(run).filter((check) => !check.passed));
 * ```
 */

export { APPS, type AppUnderLoad, appNamed } from './apps/index.js';
export type { AppModule, RunningApp } from './apps/types.js';
export {
  type ClientsOptions,
  runClients,
  SHARED_GROUP_SIZE,
  UPDATES_PER_LOGIN,
} from './clients.js';
export { CookieJar } from './cookie-jar.js';
export {
  DELAY_P99_LIMIT_MS,
  type LoadCheck,
  loadChecks,
  memoryFigures,
  memoryPhases,
} from './criteria.js';
export { type DelayFigures, DelayMonitor, RESOLUTION_MS } from './delay-monitor.js';
export {
  HttpClient,
  type HttpResponse,
  REQUEST_TIMEOUT_MS,
  type RequestSpec,
} from './http-client.js';
export { DEFAULTS, type LoadCommand, parseLoadCommand } from './options.js';
export { demoProtocol, type Protocol, recipeProtocol, type SessionView } from './protocols.js';
export { runTable, summaryTable } from './report.js';
export {
  type LoadOptions,
  type LoadRun,
  rampOf,
  runLoad,
  sampleEveryOf,
  warmUpOf,
} from './run-load.js';
export {
  deployStore,
  STORES,
  type StoreDeployment,
  type StoreName,
  storeUnavailable,
} from './stores.js';
export { type ErrorKind, Tally } from './tally.js';
