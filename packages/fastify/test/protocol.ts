// @fastify/session's store protocol, driven directly the way the plugin and apps drive it.
import { type SessionStore, UnavailableError } from '@sessions/core';
import { isBookkeepingKey } from '@sessions/core/adapter';

/** The adapter's methods as promises: @fastify/session only ever passes callbacks. */
export function call<T>(run: (done: (err?: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

/** A session as @fastify/session hands it to `set`: its cookie serialises through toJSON. */
export function session(fields: Record<string, unknown>, expires = Date.now() + 30 * 60_000) {
  const cookie = { expires: new Date(expires), originalMaxAge: 30 * 60_000 };
  return { cookie: { toJSON: () => cookie }, ...fields };
}

/**
 * The store, counting its session writes (`set`), and apart from them the writes of the
 * session manager's bookkeeping records (miss-reason tombstones, revocation marks).
 */
export function countingWrites(store: SessionStore): {
  store: SessionStore;
  writes: () => number;
  bookkeepingWrites: () => number;
} {
  let writes = 0;
  let bookkeeping = 0;
  const counted = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'set') {
          if (isBookkeepingKey(String(args[0]))) bookkeeping++;
          else writes++;
        }
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, writes: () => writes, bookkeepingWrites: () => bookkeeping };
}

/** A store method @fastify/session reaches through the adapter. */
export type StoreMethod = 'get' | 'set' | 'delete';

/**
 * The store, with an outage switch per method: after `fail(method)`, each call of that method
 * rejects with an `UnavailableError` (as every store reports an outage), once `after` calls
 * have gone through, until `heal()`.
 */
export function flaky(store: SessionStore): {
  store: SessionStore;
  fail(method: StoreMethod, options?: { after?: number }): void;
  heal(): void;
} {
  const failing = new Map<string, { after: number }>();
  const wrapped = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const failure = failing.get(name as string);
        if (failure && failure.after-- <= 0) {
          return Promise.reject(new UnavailableError('test', `${String(name)}: the store is down`));
        }
        return value.apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    fail: (method, options = {}) => failing.set(method, { after: options.after ?? 0 }),
    heal: () => failing.clear(),
  };
}
