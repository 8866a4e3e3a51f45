/**
 * Scenarios about a store's first moments: created and first used while its server is down
 * (cold start), and thousands of first calls racing a lazy table or index creation.
 */
import type { SessionStore } from '@sessions/core';
import { type OperationLog, within } from '../operation-log.js';
import type { FaultTarget, OutageResult } from '../types.js';
import { issueRead, issueWrite, KeySource, probeUntilSuccess } from '../workload.js';
import {
  beginScenario,
  closeTracked,
  DEFAULT_BOUND_MS,
  finishScenario,
  HANG_GRACE_MS,
  injectFault,
  restoreBackend,
} from './kit.js';

/** Build a store, recorded as a `create` operation (bounded: a constructor may hang too). */
async function createTracked(
  log: OperationLog,
  create: () => SessionStore | Promise<SessionStore>,
  waitMs: number,
): Promise<SessionStore | undefined> {
  let store: SessionStore | undefined;
  await within(
    waitMs,
    log.track('create', 'create', async () => {
      store = await create();
    }),
  );
  return store;
}

/** Options of {@link runColdStart}. */
export interface ColdStartOptions {
  name: string;
  /** Build the store under test (it is created while the server is down, and closed after). */
  createStore(): SessionStore | Promise<SessionStore>;
  target: FaultTarget;
  boundMs?: number;
}

/**
 * Kill the server, then create the store and use it (a get and a set, twice), then restart the
 * server and probe until the first success on that same instance.
 *
 * @example
 * ```ts
 * const result = await runColdStart({ name: 'redis', target, createStore: () => new RedisStore({ url }) });
 * ```
 */
export async function runColdStart(options: ColdStartOptions): Promise<OutageResult> {
  const { target } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const ctx = beginScenario();
  const keys = new KeySource('cold');
  const { marks } = await injectFault(target, ctx.log);
  const wait = boundMs + HANG_GRACE_MS;
  const store = await createTracked(ctx.log, options.createStore, wait);
  if (store) {
    const s = store;
    await within(wait, issueRead(ctx.log, s, keys), issueWrite(ctx.log, s, keys));
    await within(wait, issueRead(ctx.log, s, keys), issueWrite(ctx.log, s, keys));
    await restoreBackend(target, marks);
    await probeUntilSuccess(ctx.log, s, keys, 5000);
  } else {
    await restoreBackend(target, marks);
  }
  void closeTracked(ctx.log, store);
  return finishScenario(ctx, {
    name: options.name,
    scenario: 'cold start while down',
    boundMs,
    marks,
    emptiedByFault: target.isEmptyAfterRestart,
    readBack: (key) => target.readBack(key),
  });
}

/** Options of {@link runFirstCallRace}. */
export interface FirstCallRaceOptions {
  name: string;
  /** Build a store on a fresh namespace / table, so its first calls meet the lazy creation. */
  createStore(): SessionStore | Promise<SessionStore>;
  /** Whether a key is really in the backend (an independent client on the same namespace). */
  readBack(key: string): Promise<boolean>;
  /** First calls issued at once, half writes and half reads (default 2000). */
  calls?: number;
  boundMs?: number;
}

/**
 * With the server up, create a store on a fresh namespace and fire its first calls all at
 * once (default 2,000), racing whatever it creates lazily (indexes, a table, loaded scripts).
 * Every acknowledged write must be in the backend afterwards.
 */
export async function runFirstCallRace(options: FirstCallRaceOptions): Promise<OutageResult> {
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const calls = options.calls ?? 2000;
  const ctx = beginScenario();
  const keys = new KeySource('race');
  const store = await createTracked(ctx.log, options.createStore, boundMs + HANG_GRACE_MS);
  if (store) {
    for (let i = 0; i < calls; i++) {
      if (i % 2 === 0) void issueWrite(ctx.log, store, keys);
      else void issueRead(ctx.log, store, keys);
    }
  }
  await ctx.log.drain(boundMs + HANG_GRACE_MS);
  void closeTracked(ctx.log, store);
  return finishScenario(ctx, {
    name: options.name,
    scenario: `${calls.toLocaleString('en-US')} first calls racing creation`,
    boundMs,
    emptiedByFault: false,
    readBack: options.readBack,
  });
}
