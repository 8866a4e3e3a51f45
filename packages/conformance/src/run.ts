/**
 * Running checks against a backend: each check, store or manager, gets a fresh clock and
 * namespace, and every store it opens is closed afterwards, pass or fail.
 */
import type { SessionStore } from '@sessions/core';
import type { Check, CheckContext, OpenOptions } from './check.js';
import { storeChecks } from './checks/index.js';
import { FakeClock } from './clock.js';
import { createManagerChecks, type ManagerCheckOptions } from './manager-checks/index.js';
import type { RuleId } from './rules.js';
import type { StoreFactory, StoreFactoryContext } from './types.js';
import { randomToken } from './util.js';

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  rule: RuleId;
  title: string;
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
}

const DEFAULT_TIMEOUT_MS = 20_000;

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
  const results: CheckResult[] = [];
  for (const check of selectChecks(factory, options)) {
    results.push(await executeCheck(factory, check));
  }
  return results;
}

/** Run one check in a fresh context, bounded by its timeout; closes every store it opened. */
export async function executeCheck(factory: StoreFactory, check: Check): Promise<CheckResult> {
  const opened: Array<SessionStore<unknown>> = [];
  let finished = false;
  const clock = new FakeClock();
  const namespace = `cf_${randomToken(12)}`;
  const context: CheckContext = {
    capabilities: factory.capabilities,
    clock,
    namespace,
    async open(openOptions: OpenOptions = {}) {
      if (finished) throw new Error(`check ${check.id} opened a store after it timed out`);
      const storeContext: StoreFactoryContext = {
        namespace: openOptions.namespace ?? namespace,
        clock: clock.now,
      };
      if (openOptions.codec) storeContext.codec = openOptions.codec;
      const store = await factory.create(storeContext);
      // Tracked before raw() runs, so the store is closed even if building raw access throws.
      opened.push(store);
      return { store, raw: factory.raw(store, storeContext), namespace: storeContext.namespace };
    },
  };
  const base = { id: check.id, rule: check.rule, title: check.title };
  let error: Error | undefined;
  try {
    await withTimeout(check.run(context), checkTimeout(factory, check), check.id);
  } catch (err) {
    error = asError(err);
  }
  finished = true;
  // Close every store even when the check failed; a close failure fails a passing check.
  for (const store of opened) {
    try {
      await withTimeout(store.close(), 10_000, `${check.id}: close()`);
    } catch (err) {
      error ??= new Error(`close() after the check failed: ${asError(err).message}`, {
        cause: err,
      });
    }
  }
  return error ? { ...base, ok: false, error } : { ...base, ok: true };
}

function matches(check: Check, filter: CheckFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return check.id.includes(filter);
  if (filter instanceof RegExp) return filter.test(check.id);
  return filter(check);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(`non-error thrown: ${String(err)}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
