/**
 * Test servers for the sessions workspace: one launcher, one report of what was missing.
 * Backends add a module each (see redis.ts, ferretdb.ts, dynamodb.ts, chromium.ts); a server
 * built from source on first use goes through go-build.ts.
 */
export {
  allBackendsRequired,
  missingBackends,
  reportMissingBackend,
  resetMissingBackends,
  workspaceRoot,
} from './backends.js';
export type { RunningServer, ServerSpec } from './launcher.js';
export { freePort, signalGroup, startServer, waitUntilReady } from './launcher.js';
export { which } from './which.js';
