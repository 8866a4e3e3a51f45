/**
 * The "outages" of a store on a local file (SQLite): another process holding the write lock,
 * and the database file deleted or replaced under a running store.
 */
import type { SessionStore } from '@sessions/core';
import { now, sleep, within } from '../operation-log.js';
import type { OutageResult } from '../types.js';
import { issueRead, issueWrite, KeySource, startSteadyLoad } from '../workload.js';
import { beginScenario, DEFAULT_BOUND_MS, finishScenario, HANG_GRACE_MS } from './kit.js';

/** A lock another process holds; `released` resolves once it has let go. */
export interface HeldLock {
  released: Promise<void>;
}

/** Options of {@link runLockContention}. */
export interface LockContentionOptions {
  name: string;
  store: SessionStore;
  /** Resolve once another process holds the lock (e.g. `BEGIN EXCLUSIVE` for 3 s). */
  holdLock(): Promise<HeldLock>;
  /** Whether a key is really in the file (an independent connection). */
  readBack(key: string): Promise<boolean>;
  /** Operations per second while the lock is held, alternating set and get (default 50). */
  ratePerSec?: number;
  /** Load after the lock is released, in ms (default 1000). */
  afterMs?: number;
  boundMs?: number;
}

/**
 * Run a steady load while another process holds the database's write lock, and after it lets
 * go. The report's event-loop delay (measured from the moment the lock is held) shows whether
 * the store waited for the lock without blocking the process; waits and failures show whether
 * it gave up at its bound.
 *
 * @example
 * ```ts
 * const result = await runLockContention({ name: 'sqlite', store, holdLock, readBack });
 * expect(outageViolations(result, { maxEventLoopDelayMs: 100 })).toEqual([]);
 * ```
 */
export async function runLockContention(options: LockContentionOptions): Promise<OutageResult> {
  const { store } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const ctx = beginScenario();
  const keys = new KeySource('lock');
  await within(
    boundMs + HANG_GRACE_MS,
    issueWrite(ctx.log, store, keys),
    issueRead(ctx.log, store, keys),
  );
  const lock = await options.holdLock();
  // The criterion is about the time the lock is held: starting the other process (a fork and
  // a Node start-up on the same cores) is not the store's stall.
  ctx.watch.resetEventLoopDelay();
  const load = startSteadyLoad(ctx.log, store, keys, options.ratePerSec ?? 50);
  await lock.released;
  await sleep(options.afterMs ?? 1000);
  await load.stop();
  return finishScenario(ctx, {
    name: options.name,
    scenario: 'another process holds the write lock',
    boundMs,
    emptiedByFault: false,
    readBack: options.readBack,
  });
}

/** Options of {@link runFileLoss}. */
export interface FileLossOptions {
  name: string;
  store: SessionStore;
  /** What happened to the file, for the report (e.g. `deleted`, `replaced`). */
  what: string;
  /** Delete or replace the database file under the running store. */
  inflict(): void | Promise<void>;
  /** Whether a key is in the file now at the database's path (a new, independent connection). */
  readBack(key: string): Promise<boolean>;
  /** Writes issued after the fault, with a read after each (default 50). */
  writes?: number;
  boundMs?: number;
}

/**
 * Write to a store, delete or replace its database file, and keep writing. Whatever was
 * written before belongs to the lost file; every write acknowledged after it must be readable
 * at the database's path, or it is a false success (acknowledged into a file nobody can read).
 */
export async function runFileLoss(options: FileLossOptions): Promise<OutageResult> {
  const { store } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const ctx = beginScenario();
  const keys = new KeySource('file');
  for (let i = 0; i < 10; i++)
    await within(boundMs + HANG_GRACE_MS, issueWrite(ctx.log, store, keys));
  const stoppedAt = now();
  await options.inflict();
  const marks = { stoppedAt, killedAt: now() };
  for (let i = 0; i < (options.writes ?? 50); i++) {
    void issueWrite(ctx.log, store, keys);
    void issueRead(ctx.log, store, keys);
    await sleep(10);
  }
  return finishScenario(ctx, {
    name: options.name,
    scenario: `database file ${options.what}`,
    boundMs,
    marks,
    emptiedByFault: true,
    readBack: options.readBack,
    // Nothing failed in a driver here: the store itself notices the file is gone, so its
    // error has no driver error to carry.
    requireCause: false,
  });
}
