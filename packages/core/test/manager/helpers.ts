// Shared setup for the manager tests: a MemoryStore on an inspectable backend, and a clock
// that moves only when a test says so.
import {
  createSessionManager,
  MemoryBackend,
  MemoryStore,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '../../src/index.js';

/** A clock that starts at the real time and moves only when told. */
export class FakeClock {
  now = Date.now();
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface Harness<D> {
  clock: FakeClock;
  backend: MemoryBackend;
  store: MemoryStore<unknown>;
  manager: SessionManager<D>;
  /** Everything the backend holds, keys and encoded entries, as one string. */
  dump(): string;
}

/** A manager over a fresh MemoryStore. `wrap` lets a test put a spy or a broken layer in between. */
export function setup<D = { n?: number }>(
  options: Partial<SessionManagerOptions> = {},
  wrap: (store: SessionStore<unknown>) => SessionStore<unknown> = (store) => store,
): Harness<D> {
  const clock = new FakeClock();
  const backend = new MemoryBackend();
  const store = new MemoryStore<unknown>({ backend, clock: clock.read, pruneInterval: 0 });
  const manager = createSessionManager<D>({
    idleTimeout: 30 * MINUTE,
    absoluteTimeout: 8 * HOUR,
    touchAfter: MINUTE,
    clock: clock.read,
    ...options,
    store: wrap(store),
  });
  const dump = () =>
    JSON.stringify([...backend.namespaces].map(([ns, entries]) => [ns, [...entries]]));
  return { clock, backend, store, manager, dump };
}

/** Counts the store calls that pass through, by method name. */
export function countingStore(store: SessionStore<unknown>): {
  store: SessionStore<unknown>;
  calls: Map<string, number>;
} {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

/** `store` with some methods replaced (a fault, a spy); the rest pass through. */
export function overrideStore(
  store: SessionStore<unknown>,
  overrides: Partial<SessionStore<unknown>>,
): SessionStore<unknown> {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof SessionStore<unknown>];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
