/**
 * How every manager check runs: a store the check opens (in the check's namespace, on the
 * check's clock, closed by the runner), a manager over it on the same clock, raw access for
 * scans, and the namespace cleared afterwards, pass or fail.
 */
import {
  createSessionManager,
  hashSessionToken,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@sessions/core';
import type { CheckContext } from '../check.js';
import type { FakeClock } from '../clock.js';
import type { RawAccess } from '../types.js';
import { eventually } from '../util.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Settings of the session-manager checks (see `createManagerChecks`). */
export interface ManagerCheckOptions {
  /** How many `update(fn)` increments the concurrency check makes (default 2,000). */
  increments?: number;
  /** How many of them are in flight at once (default 200). */
  inFlight?: number;
  /** The retry bound the concurrency check gives `update` (default 200). */
  updateRetries?: number;
  /** How many "log out everywhere" races against regenerate and login to run (default 200). */
  raceRounds?: number;
  /** The most a store call is held back in those races, in ms (default 2). */
  raceLatencyMs?: number;
  /**
   * Extra manager options (e.g. `cookie`, `retryDelay`). Each check's own settings (the
   * timeouts it tests) win over these. `hashTokens: false` makes the hashed-at-rest check fail.
   */
  managerOptions?: Partial<Omit<SessionManagerOptions, 'store' | 'clock'>>;
  /** The manager implementation under test (default `createSessionManager`). */
  createManager?: <D>(options: SessionManagerOptions) => SessionManager<D>;
}

/** The manager options a check sets itself (the timeouts it tests). */
export type ManagerSettings = Partial<Omit<SessionManagerOptions, 'store' | 'clock'>>;

/** What a check body gets. */
export interface ManagerHarness<D> {
  manager: SessionManager<D>;
  store: SessionStore<unknown>;
  raw: RawAccess;
  clock: FakeClock;
  /** The store key of a token under the manager's settings (its SHA-256 unless hashing is off). */
  keyOf(token: string): string;
  /** Wait until `fn` passes, for up to the backend's declared user-index lag (plus a margin). */
  settled(fn: () => Promise<void>): Promise<void>;
  /** Another manager with the same settings, over `store` (e.g. the store behind a delay). */
  managerOver(store: SessionStore<unknown>): SessionManager<D>;
}

/** Open a store, build a manager over it, run `body`; clear the namespace, pass or fail. */
export async function withManager<D>(
  context: CheckContext,
  options: ManagerCheckOptions,
  settings: ManagerSettings,
  body: (harness: ManagerHarness<D>) => Promise<void>,
): Promise<void> {
  const { store, raw } = await context.open();
  const { clock } = context;
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
    const lag = context.capabilities.userIndexLagMs ?? 0;
    const settled = (fn: () => Promise<void>) =>
      eventually(fn, lag + (lag > 0 ? 1000 : 0), 50).then(() => undefined);
    const managerOver = (other: SessionStore<unknown>) =>
      create<D>({ ...managerOptions, store: other });
    await body({ manager, store, raw, clock, keyOf, settled, managerOver });
  } catch (err) {
    failure = err;
  }
  await clearAfter(store, failure);
}

/** Leave the namespace empty (the runner closes the store); report both failures if both fail. */
async function clearAfter(store: SessionStore<unknown>, failure: unknown): Promise<void> {
  let clearFailure: unknown;
  try {
    await store.clear();
  } catch (err) {
    clearFailure = err;
  }
  if (failure === undefined && clearFailure === undefined) return;
  if (clearFailure === undefined) throw failure;
  if (failure === undefined) throw clearFailure;
  throw new AggregateError([failure, clearFailure], 'the check failed, and so did clear()');
}
