/**
 * Node-style callbacks for promise-based work, called the way frameworks expect of a store:
 * exactly once, and outside any promise chain.
 */

/** A Node-style callback: an error first, or `null` and the value. */
export type NodeCallback<T = void> = (err: unknown, value?: T) => void;

/**
 * Settle `callback` with the outcome of `promise`: `callback(err)` when it rejects,
 * `callback(null, value)` when it resolves. Without a callback, return the promise instead.
 *
 * The callback is called exactly once, and never synchronously: in a microtask of its own,
 * outside the promise chain. Whatever it throws is an uncaught exception of that callback (the
 * framework's bug, reported where it happened), never an unhandled rejection that looks like the
 * store's, and never a second call of the callback with its own error (the mistake of stores
 * that wrap `cb(null, v)` in a `try` whose `catch` calls `cb(err)`).
 *
 * @example
 * ```ts
 * get(sid: string, callback?: NodeCallback<SessionData | null>) {
 *   return settle(this.bridge.load(sid), callback);
 * }
 * ```
 */
export function settle<T>(promise: Promise<T>, callback: NodeCallback<T>): undefined;
export function settle<T>(promise: Promise<T>, callback?: NodeCallback<T>): Promise<T> | undefined;
export function settle<T>(promise: Promise<T>, callback?: NodeCallback<T>): Promise<T> | undefined {
  if (!callback) return promise;
  promise.then(
    (value) => queueMicrotask(() => callback(null, value)),
    (err: unknown) => queueMicrotask(() => callback(err)),
  );
  return undefined;
}
