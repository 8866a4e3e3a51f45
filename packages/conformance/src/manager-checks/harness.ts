/**
 * How every manager check runs: a fresh store in a namespace of its own, a manager over it
 * sharing one manual clock, raw access for scans, and cleanup whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSessionManager,
  hashSessionToken,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@sessions/core';
import type { RawAccess, StoreFactory } from '../types.js';
import { ManualClock } from './clock.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Options of the manager checks (see `createManagerChecks`). */
export interface ManagerCheckOptions {
  /** How many `update(fn)` increments the concurrency check makes (default 2,000). */
  increments?: number;
  /** How many of them are in flight at once (default 200). */
  inFlight?: number;
  /** The retry bound the concurrency check gives `update` (default 200). */
  updateRetries?: number;
  /**
   * Extra manager options (e.g. `cookie`, `retryDelay`). Each check's own settings (the
   * timeouts it tests) win over these. `hashTokens: false` makes the hashed-at-rest check fail.
   */
  managerOptions?: Partial<Omit<SessionManagerOptions, 'store' | 'clock'>>;
  /** The manager implementation under test (default `createSessionManager`). */
  createManager?: <D>(options: SessionManagerOptions) => SessionManager<D>;
}

/** What a check body gets. */
export interface ManagerHarness<D> {
  manager: SessionManager<D>;
  store: SessionStore<unknown>;
  raw: RawAccess;
  clock: ManualClock;
  /** The store key of a token under the manager's settings (its SHA-256 unless hashing is off). */
  keyOf(token: string): string;
  /** Wait until `fn` passes, for up to the backend's declared user-index lag (plus a margin). */
  settled(fn: () => Promise<void>): Promise<void>;
}

/** Build a store, a manager and a clock; run `body`; clear and close the store, pass or fail. */
export async function withManager<D>(
  factory: StoreFactory,
  options: ManagerCheckOptions,
  settings: Partial<Omit<SessionManagerOptions, 'store' | 'clock'>>,
  body: (harness: ManagerHarness<D>) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock();
  const context = { namespace: `mgr-${randomBytes(6).toString('hex')}`, clock: clock.now };
  const store = (await factory.create(context)) as SessionStore<unknown>;
  let failure: unknown;
  try {
    const create = options.createManager ?? createSessionManager;
    const managerOptions: SessionManagerOptions = {
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: 8 * HOUR,
      touchAfter: MINUTE,
      ...options.managerOptions,
      ...settings,
      store,
      clock: clock.now,
    };
    const manager = create<D>(managerOptions);
    const keyOf = (token: string) =>
      managerOptions.hashTokens === false ? token : hashSessionToken(token);
    const lag = factory.capabilities.userIndexLagMs ?? 0;
    const settled = (fn: () => Promise<void>) => retryUntil(fn, lag + (lag > 0 ? 1000 : 0));
    await body({ manager, store, raw: factory.raw(store, context), clock, keyOf, settled });
  } catch (err) {
    failure = err;
  }
  await cleanup(store, failure);
}

async function cleanup(store: SessionStore<unknown>, failure: unknown): Promise<void> {
  const errors: unknown[] = failure === undefined ? [] : [failure];
  try {
    await store.clear();
  } catch (err) {
    errors.push(err);
  }
  try {
    await store.close();
  } catch (err) {
    errors.push(err);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, 'the check failed, and so did cleaning up');
}

/** Call `fn` until it passes or `timeoutMs` is over (always at least once); then rethrow. */
async function retryUntil(fn: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + 50 > deadline) throw err;
    }
    await sleep(50);
  }
}
