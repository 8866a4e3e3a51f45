/**
 * The kill-and-restart scenarios: a kill while idle, a 10 s outage under steady load, and a
 * kill with a burst of writes in flight. The same store instance is used throughout: recovery
 * means that instance works again, without being re-created.
 */
import { now, sleep, within } from '../operation-log.js';
import type { OutageResult } from '../types.js';
import {
  issueRead,
  issueWrite,
  KeySource,
  probeUntilSuccess,
  startSteadyLoad,
} from '../workload.js';
import {
  beginScenario,
  DEFAULT_BOUND_MS,
  finishScenario,
  HANG_GRACE_MS,
  injectFault,
  restoreBackend,
  type ServerScenarioOptions,
} from './kit.js';

/** How long the harness probes for the first success after a restart before giving up. */
const RECOVERY_PROBE_MS = 5000;

/**
 * SIGKILL the server while the store is idle, then issue a get and a set (twice), restart the
 * server on the same port and probe until the first success.
 *
 * @example
 * ```ts
 * const result = await runIdleKill({ name: 'redis', store, target });
 * expect(outageViolations(result)).toEqual([]);
 * ```
 */
export async function runIdleKill(options: ServerScenarioOptions): Promise<OutageResult> {
  const { store, target } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const ctx = beginScenario();
  const keys = new KeySource('idle');
  const wait = boundMs + HANG_GRACE_MS;
  await within(wait, issueWrite(ctx.log, store, keys));
  await within(wait, issueRead(ctx.log, store, keys));
  // Idle: no operation in flight, connections at rest.
  await sleep(200);
  const { marks } = await injectFault(target, ctx.log);
  // The first pair meets a freshly broken connection, the second a store that already knows.
  await within(wait, issueRead(ctx.log, store, keys), issueWrite(ctx.log, store, keys));
  await within(wait, issueRead(ctx.log, store, keys), issueWrite(ctx.log, store, keys));
  await restoreBackend(target, marks);
  await probeUntilSuccess(ctx.log, store, keys, RECOVERY_PROBE_MS);
  return finishScenario(ctx, {
    name: options.name,
    scenario: 'idle kill',
    boundMs,
    marks,
    emptiedByFault: target.isEmptyAfterRestart,
    readBack: (key) => target.readBack(key),
  });
}

/** Options of {@link runSteadyLoad}. */
export interface SteadyLoadOptions extends ServerScenarioOptions {
  /** Operations per second, alternating set and get (default 50). */
  ratePerSec?: number;
  /** Load before the kill, in ms (default 2000). */
  beforeMs?: number;
  /** From the kill to the restart, in ms (default 10 000). */
  outageMs?: number;
  /** Load after the server accepts connections again, in ms (default 3000). */
  afterMs?: number;
}

/**
 * A steady open-loop load (default 50 ops/s, mixed get/set) across an outage: kill, wait
 * (default 10 s), restart on the same port, continue (default 3 s).
 */
export async function runSteadyLoad(options: SteadyLoadOptions): Promise<OutageResult> {
  const { store, target } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const outageMs = options.outageMs ?? 10_000;
  const ctx = beginScenario();
  const keys = new KeySource('steady');
  const load = startSteadyLoad(ctx.log, store, keys, options.ratePerSec ?? 50);
  await sleep(options.beforeMs ?? 2000);
  const { marks } = await injectFault(target, ctx.log);
  await sleep(marks.killedAt + outageMs - now());
  await restoreBackend(target, marks);
  await sleep(options.afterMs ?? 3000);
  await load.stop();
  return finishScenario(ctx, {
    name: options.name,
    scenario: `steady load, ${Math.round(outageMs / 1000)} s outage`,
    boundMs,
    marks,
    emptiedByFault: target.isEmptyAfterRestart,
    readBack: (key) => target.readBack(key),
  });
}

/** Options of {@link runBurst}. */
export interface BurstOptions extends ServerScenarioOptions {
  /** Writes issued at once (default 2000). */
  writes?: number;
  /**
   * Freeze the server before the burst is issued instead of just after (default false). For a
   * server that takes only a share of the burst (one master of a cluster): it keeps up with
   * its share while the client is still issuing, so by the time the client could stop it
   * every reply is on the wire and nothing is in flight at the kill.
   */
  freezeFirst?: boolean;
}

/**
 * Issue a burst of writes (default 2,000) and stop the server in the same tick, while they are
 * on the wire (or just before, with `freezeFirst`): the replies it already sent are read, then
 * it is killed with the rest in flight. It stays down until every write has settled (they must, within the bound), then
 * restarts; the harness probes until the first success.
 */
export async function runBurst(options: BurstOptions): Promise<OutageResult> {
  const { store, target } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const writes = options.writes ?? 2000;
  const ctx = beginScenario();
  const keys = new KeySource('burst');
  await within(boundMs + HANG_GRACE_MS, issueWrite(ctx.log, store, keys));
  // Freezing twice is harmless (a stopped process stays stopped); the fault's marks are set
  // by the second, so acknowledgements in between count as before the fault, which is what
  // they are: from the servers still running.
  if (options.freezeFirst) target.freeze?.();
  for (let i = 0; i < writes; i++) void issueWrite(ctx.log, store, keys);
  const { marks, inFlight } = await injectFault(target, ctx.log);
  await ctx.log.drain(boundMs + 1000);
  await restoreBackend(target, marks);
  await probeUntilSuccess(ctx.log, store, keys, RECOVERY_PROBE_MS);
  return finishScenario(ctx, {
    name: options.name,
    scenario: `burst of ${writes.toLocaleString('en-US')} writes`,
    boundMs,
    marks,
    emptiedByFault: target.isEmptyAfterRestart,
    readBack: (key) => target.readBack(key),
    inFlightAtFault: inFlight,
  });
}
