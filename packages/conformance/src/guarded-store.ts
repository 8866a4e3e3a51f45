/**
 * A check's view of a store, cut off when the check is over. A check that timed out would
 * otherwise keep calling the store in the background, into the next check's time; with the
 * guard, its calls in flight reject as soon as the check's signal aborts, and later calls
 * reject at once.
 */
import type { SessionStore } from '@sessions/core';

/** Reject as soon as `signal` aborts (at once if it already has), else settle as `value` does. */
export function untilAborted<T>(value: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    value.then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * `store` as the check sees it: every method runs on the store itself (its private fields
 * work), a synchronous throw stays synchronous (the suite checks that stores never throw), and
 * a returned promise is cut off by `signal`.
 */
export function guardStore<S extends SessionStore<unknown>>(store: S, signal: AbortSignal): S {
  // One listener for all the calls (a check may have hundreds in flight), not one per call.
  const stopped = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  stopped.catch(() => {}); // only ever seen through a race below
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (signal.aborted) return Promise.reject(signal.reason);
        const result: unknown = value.apply(target, args);
        const thenable =
          typeof result === 'object' &&
          result !== null &&
          typeof (result as PromiseLike<unknown>).then === 'function';
        return thenable ? Promise.race([result as PromiseLike<unknown>, stopped]) : result;
      };
    },
  });
}
