/**
 * Running checks against a backend: each check, store or manager, gets a fresh clock and
 * namespace, and every store it opens is closed afterwards, pass or fail.
 */
import type { SessionStore } from '@sessions/core';
import type { Check, CheckContext, OpenOptions } from './check.js';
import { storeChecks } from './checks/index.js';
import { FakeClock } from './clock.js';
import { guardStore, untilAborted } from './guarded-store.js';
import { createManagerChecks, type ManagerCheckOptions } from './manager-checks/index.js';
import type { RuleId } from './rules.js';
import { asError } from './safe-error.js';
import type { StoreFactory, StoreFactoryContext } from './types.js';
import { randomToken } from './util.js';

/** The outcome of one check. */
export interface CheckResult {
  /** The check's id, `<concern>/<name>` (e.g. `manager/idle-timeout`). */
  id: string;
  /** The contract rule the check proves. */
  rule: RuleId;
  /** What the check asserts, in one line. */
  title: string;
  /** Whether the store passed it. */
  ok: boolean;
  /** Why it failed (an assertion error, or what the store threw). */
  error?: Error;
}

/** Which checks to run: an id substring, an id pattern, or a predicate. */
export type CheckFilter = string | RegExp | ((check: Check) => boolean);

/** Which checks run, and the settings of the session-manager checks. */
export interface RunOptions {
  /** Run only the matching checks (default: all that apply to the backend). */
  filter?: CheckFilter;
  /**
   * Settings of the session-manager checks (concern `manager`): a smaller concurrency check for
   * a slow backend, say `{ increments: 500, inFlight: 50 }`. `false` leaves them out, only for a
   * store that is not meant to back the manager. Default: the full checks.
   */
  manager?: ManagerCheckOptions | false;
  /**
   * The whole run's budget in ms (default 30 minutes). A check still running when it runs out
   * is stopped and fails, and the checks after it fail as not run: a store whose every call
   * hangs costs the budget, not an hour of per-check timeouts.
   */
  budgetMs?: number;
  /** Stops the run: the running check fails, the rest fail as not run. */
  signal?: AbortSignal;
}

/** Options of {@link executeCheck}. */
export interface ExecuteOptions {
  /** Stops the check early (the run's budget, or the caller's signal). */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** The default budget of a whole run: well above a healthy backend's few minutes. */
export const DEFAULT_BUDGET_MS = 30 * 60_000;
/** How long closing a check's stores may take. */
const CLOSE_TIMEOUT_MS = 10_000;
const STOPPED_CLOSE_TIMEOUT_MS = 1_000;

/**
 * The checks that apply to a backend with these capabilities: the store checks, then the
 * manager checks with `options.manager`'s settings, narrowed by `options.filter`.
 *
 * @example
 * ```ts
 * selectChecks(factory, { filter: 'ttl-' }).map((check) => check.id);
 * ```
 */
export function selectChecks(factory: StoreFactory, options: RunOptions = {}): Check[] {
  const pool =
    options.manager === false
      ? storeChecks
      : [...storeChecks, ...createManagerChecks(options.manager)];
  return pool.filter(
    (check) => (check.applies?.(factory.capabilities) ?? true) && matches(check, options.filter),
  );
}

/** How long a check may take against this backend, its index lag included. */
export function checkTimeout(factory: StoreFactory, check: Check): number {
  return (check.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 4 * (factory.capabilities.userIndexLagMs ?? 0);
}

/**
 * Run every applicable check (store and manager) against a backend, one after the other, and
 * report each outcome.
 * Never throws for a failing check; use it to build your own reporting, or to prove that a
 * broken store is caught.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend();
 * const results = await runChecks({
 *   name: 'memory',
 *   capabilities: { nativeExpiry: 'none' },
 *   create: ({ namespace, clock, codec }) => new MemoryStore({ backend, namespace, clock, codec }),
 *   raw: (_store, { namespace }) => memoryRaw(backend, namespace),
 * });
 * console.log(results.filter((r) => !r.ok).map((r) => r.id));
 * ```
 */
export async function runChecks(
  factory: StoreFactory,
  options: RunOptions = {},
): Promise<CheckResult[]> {
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const budget = AbortSignal.timeout(budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const results: CheckResult[] = [];
  for (const check of selectChecks(factory, options)) {
    if (signal.aborted) {
      const why = budget.aborted
        ? `the run's budget of ${budgetMs} ms ran out`
        : 'the run was stopped';
      results.push(failed(check, new Error(`not run: ${why}`)));
      continue;
    }
    results.push(await executeCheck(factory, check, { signal }));
  }
  return results;
}

/**
 * Run one check in a fresh context, bounded by its timeout (and `options.signal`); closes every
 * store it opened. When the check times out, its stores are cut off: its calls still in flight
 * reject, and it cannot go on calling them in the background.
 */
export async function executeCheck(
  factory: StoreFactory,
  check: Check,
  options: ExecuteOptions = {},
): Promise<CheckResult> {
  const ms = checkTimeout(factory, check);
  const stop = new AbortController();
  const timer = setTimeout(
    () => stop.abort(new Error(`${check.id} did not finish within ${ms} ms`)),
    ms,
  );
  const onOuterAbort = () =>
    stop.abort(new Error(`${check.id} was stopped: ${asError(options.signal?.reason).message}`));
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = stop.signal;
  const opened: Array<SessionStore<unknown>> = [];
  const clock = new FakeClock();
  const namespace = `cf_${randomToken(12)}`;
  const context: CheckContext = {
    capabilities: factory.capabilities,
    clock,
    namespace,
    signal,
    async open(openOptions: OpenOptions = {}) {
      if (signal.aborted) throw new Error(`check ${check.id} opened a store after it was stopped`);
      const storeContext: StoreFactoryContext = {
        namespace: openOptions.namespace ?? namespace,
        clock: clock.now,
        signal,
      };
      if (openOptions.codec) storeContext.codec = openOptions.codec;
      const store = await factory.create(storeContext);
      // Tracked before raw() runs, so the store is closed even if building raw access throws.
      opened.push(store);
      const raw = factory.raw(store, storeContext);
      return { store: guardStore(store, signal), raw, namespace: storeContext.namespace };
    },
  };
  let error: Error | undefined;
  try {
    await untilAborted(check.run(context), signal);
  } catch (err) {
    error = asError(err);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    // Whatever the check left running (it failed early, or timed out) is cut off from here on.
    if (!signal.aborted) stop.abort(new Error(`${check.id} is over`));
  }
  // Close every store even when the check failed; a close failure fails a passing check.
  for (const store of opened) {
    try {
      // After the run was stopped, closing gets a short while: the run must end.
      const closeMs = options.signal?.aborted ? STOPPED_CLOSE_TIMEOUT_MS : CLOSE_TIMEOUT_MS;
      await untilAborted(store.close(), AbortSignal.timeout(closeMs));
    } catch (err) {
      error ??= new Error(`close() after the check failed: ${asError(err).message}`);
    }
  }
  return error
    ? failed(check, error)
    : { id: check.id, rule: check.rule, title: check.title, ok: true };
}

function failed(check: Check, error: Error): CheckResult {
  return { id: check.id, rule: check.rule, title: check.title, ok: false, error };
}

function matches(check: Check, filter: CheckFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return check.id.includes(filter);
  if (filter instanceof RegExp) return filter.test(check.id);
  return filter(check);
}
