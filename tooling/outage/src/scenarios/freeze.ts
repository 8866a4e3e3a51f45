/**
 * The "stops answering" scenario: the server is frozen, every process of it (SIGSTOP to its
 * process group), and held frozen well past the bound while calls keep coming, then continued
 * (SIGCONT). Nothing is killed: connections stay open and nothing refuses them, so only the
 * store's own deadlines can end a call. A store that leans on the driver or the pool to notice
 * a dead peer waits as long as the freeze lasts.
 */
import { now, sleep } from '../operation-log.js';
import type { FaultMarks, OutageResult } from '../types.js';
import { KeySource, probeUntilSuccess, startSteadyLoad } from '../workload.js';
import {
  beginScenario,
  DEFAULT_BOUND_MS,
  finishScenario,
  type ServerScenarioOptions,
} from './kit.js';

/** How long the freeze lasts by default (or five bounds, if longer): well past the bound. */
export const DEFAULT_FROZEN_MS = 10_000;

/** How long the harness probes for the first success after the thaw before giving up. */
const RECOVERY_PROBE_MS = 5000;

/** Options of {@link runFreeze}. */
export interface FreezeOptions extends ServerScenarioOptions {
  /** Operations per second, alternating set and get (default 50). */
  ratePerSec?: number;
  /** Load before the freeze, in ms (default 1000). */
  beforeMs?: number;
  /** How long the server stays frozen, in ms (default 10 000, or five bounds if longer). */
  frozenMs?: number;
  /** Load after the thaw, in ms (default 2000). */
  afterMs?: number;
}

/**
 * A steady open-loop load (default 50 ops/s, mixed get/set) across a freeze of the whole
 * server (default 10 s), then SIGCONT and more load. Every call must settle within the bound,
 * every acknowledged write must be in the server afterwards (nothing was killed, so nothing
 * may be lost), and calls must succeed again soon after the thaw (`recoveryMs`, from SIGCONT).
 *
 * @example
 * ```ts
 * const result = await runFreeze({ name: 'postgres', store, target });
 * expect(outageViolations(result)).toEqual([]);
 * ```
 */
export async function runFreeze(options: FreezeOptions): Promise<OutageResult> {
  const { store, target } = options;
  const { freeze, thaw } = target;
  if (!freeze || !thaw)
    throw new Error('the freeze scenario needs a target that can freeze and thaw');
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const frozenMs = options.frozenMs ?? Math.max(DEFAULT_FROZEN_MS, 5 * boundMs);
  const ctx = beginScenario();
  const keys = new KeySource('freeze');
  const load = startSteadyLoad(ctx.log, store, keys, options.ratePerSec ?? 50);
  await sleep(options.beforeMs ?? 1000);
  const stoppedAt = now();
  freeze.call(target);
  await sleep(frozenMs);
  // Nothing is killed: the marks' kill is the freeze itself, and the "restart" is the SIGCONT,
  // which takes effect at once (the server runs again with its connections as they were).
  const thawedAt = now();
  thaw.call(target);
  const marks: FaultMarks = {
    stoppedAt,
    killedAt: stoppedAt,
    restartCalledAt: thawedAt,
    restartedAt: thawedAt,
  };
  await sleep(options.afterMs ?? 2000);
  await load.stop();
  // A recovered store must take writes again: make sure one was tried after the load stopped.
  await probeUntilSuccess(ctx.log, store, keys, RECOVERY_PROBE_MS);
  return finishScenario(ctx, {
    name: options.name,
    scenario: `frozen ${Math.round(frozenMs / 1000)} s (SIGSTOP), then SIGCONT`,
    boundMs,
    marks,
    emptiedByFault: false,
    readBack: (key) => target.readBack(key),
  });
}
