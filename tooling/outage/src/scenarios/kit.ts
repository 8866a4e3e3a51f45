/**
 * Steps every scenario shares: injure the backend and mark the moments precisely, bring it
 * back, and close a scenario (wait for stragglers, stop watching, check the writes).
 */
import type { SessionStore } from '@sessions/core';
import { now, OperationLog } from '../operation-log.js';
import { type ProcessWatch, watchProcess } from '../process-watch.js';
import { summarize } from '../summarize.js';
import type { FaultMarks, FaultTarget, OutageResult } from '../types.js';

/** The default bound on any operation, matching the stores' default `operationTimeout`. */
export const DEFAULT_BOUND_MS = 2000;

/**
 * How long the harness keeps waiting for pending operations beyond the bound before it calls
 * them hung: long enough that a slow-but-bounded store is never mistaken for a hanging one.
 */
export const HANG_GRACE_MS = 3000;

/** Options every scenario on a server takes. */
export interface ServerScenarioOptions {
  /** Store label for the report, e.g. `redis (standalone)`. */
  name: string;
  /** The store under test: one instance for the whole scenario, never re-created. */
  store: SessionStore;
  /** The backend to injure. */
  target: FaultTarget;
  /** The store's configured bound on any operation (default 2000 ms). */
  boundMs?: number;
}

/** A scenario in progress: its log and process watch. */
export interface ScenarioContext {
  log: OperationLog;
  watch: ProcessWatch;
}

/** Start recording a scenario. */
export function beginScenario(): ScenarioContext {
  return { log: new OperationLog(), watch: watchProcess() };
}

/**
 * Stop the backend: freeze it when the target can (so the acknowledgements it already sent
 * are read before the kill is marked), then SIGKILL. Returns the marks and how many operations
 * were still unanswered when it was killed: the ones really in flight at its death.
 */
export async function injectFault(
  target: FaultTarget,
  log: OperationLog,
): Promise<{ marks: FaultMarks; inFlight: number }> {
  const stoppedAt = now();
  if (target.freeze) {
    target.freeze();
    // 100 ms without any settlement (1 s at most) means the replies already on the wire
    // have been read: everything acknowledged after this cannot come from the old server.
    await log.quiesce(100, 1000);
  }
  const killedAt = now();
  const inFlight = log.pendingCount;
  await target.kill();
  return { marks: { stoppedAt, killedAt }, inFlight };
}

/** Bring the backend back and mark when it was asked to and when it accepted connections. */
export async function restoreBackend(target: FaultTarget, marks: FaultMarks): Promise<void> {
  marks.restartCalledAt = now();
  await target.restart();
  marks.restartedAt = now();
}

/** What {@link finishScenario} needs beyond the context. */
export interface FinishOptions {
  name: string;
  scenario: string;
  boundMs: number;
  marks?: FaultMarks;
  emptiedByFault: boolean;
  readBack(key: string): Promise<boolean>;
  inFlightAtFault?: number;
  requireCause?: boolean;
}

/** Wait for stragglers (up to the bound plus grace), stop watching, and summarize. */
export async function finishScenario(
  ctx: ScenarioContext,
  options: FinishOptions,
): Promise<OutageResult> {
  await ctx.log.drain(options.boundMs + HANG_GRACE_MS);
  const gaveUpAt = now();
  const figures = await ctx.watch.stop();
  return summarize({
    store: options.name,
    scenario: options.scenario,
    boundMs: options.boundMs,
    log: ctx.log,
    figures,
    gaveUpAt,
    marks: options.marks,
    emptiedByFault: options.emptiedByFault,
    readBack: options.readBack,
    inFlightAtFault: options.inFlightAtFault,
    requireCause: options.requireCause,
  });
}

/** Close a store the scenario created, recorded like any operation (a hanging close shows). */
export function closeTracked(log: OperationLog, store: SessionStore | undefined): Promise<boolean> {
  if (!store) return Promise.resolve(true);
  return log.track('close', 'close', () => store.close());
}
