// A driver whose primitives a test replaces one by one: the kit's behaviour around a backend,
// proved without one. The defaults behave like an empty backend.
import type { Operation, StoreDriver } from '../../src/kit/index.js';
import { DriverStore, PruningDriverStore } from '../../src/kit/index.js';
import type { PruningStoreOptions } from '../../src/types.js';

export const SOURCE = '@sessions/test';

export type Script = Partial<StoreDriver>;

/** An empty backend, but for what `script` replaces; every call is recorded. */
export function scriptedDriver(
  script: Script = {},
): StoreDriver & { calls: string[]; ops: Operation[] } {
  const calls: string[] = [];
  const ops: Operation[] = [];
  const seen =
    <A extends unknown[], R>(name: string, fallback: (...args: A) => R) =>
    (...args: A): R => {
      calls.push(name);
      for (const arg of args) if (isOperation(arg)) ops.push(arg);
      const own = script[name as keyof StoreDriver] as ((...a: A) => R) | undefined;
      return own ? own(...args) : fallback(...args);
    };
  return {
    calls,
    ops,
    get: seen('get', () => undefined),
    set: seen('set', () => 1),
    touch: seen('touch', () => false),
    delete: seen('delete', () => false),
    listByUser: seen('listByUser', () => []),
    deleteByUser: seen('deleteByUser', () => 0),
    list: seen('list', () => []),
    clear: seen('clear', () => undefined),
    prune: seen('prune', () => 0),
    close: seen('close', () => undefined),
    ...(script.prepare ? { prepare: seen('prepare', script.prepare) } : {}),
    ...(script.classify ? { classify: script.classify } : {}),
  };
}

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && 'deadline' in value && 'now' in value;
}

/** A store on a scripted driver (without prune). */
export function storeOn(
  driver: StoreDriver,
  options: Record<string, unknown> = {},
  setup: Setup = {},
) {
  return new TestStore(driver, options, setup);
}

/** What a test may declare for its store, as a backend's store would. */
type Setup = { autoPrepare?: boolean; maxInFlight?: number };

class TestStore extends DriverStore<unknown, StoreDriver> {
  constructor(driver: StoreDriver, options: Record<string, unknown>, setup: Setup) {
    super(options, { source: SOURCE, driver: () => driver, ...setup });
  }

  /** A backend-specific extra, the way ensureIndexes() is one. */
  ensure(timeoutMs?: number): Promise<void> {
    return this.prepareNow('ensure', timeoutMs);
  }

  extra<T>(work: (op: Operation) => T | Promise<T>, timeoutMs?: number): Promise<T> {
    return this.run('extra', work, timeoutMs);
  }
}

/** A pruning store on a scripted driver. */
export function pruningStoreOn(
  driver: StoreDriver & Required<Pick<StoreDriver, 'prune'>>,
  options: PruningStoreOptions<unknown> = {},
) {
  return new PruningDriverStore(options, { source: SOURCE, driver: () => driver });
}

export const never = <T>() => new Promise<T>(() => undefined);
export const later = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
/** What a test reads off a rejection. */
export type Rejection = Error & { code?: string; source?: string; cause?: Error };

export async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (err: unknown) => err as Rejection,
  );
}
