import type { PruningStoreOptions, SessionData } from '@sessions/core';

/** The package name every error of this store carries as `source`. */
export const SOURCE = '@sessions/{{name}}';

/**
 * Options of {@link {{Name}}Store}. The options every store shares come from the kit, which
 * validates them once: `namespace`, `clock`, `codec`, `maxPayloadBytes`, `operationTimeout`,
 * `onBackgroundError`, and `pruneInterval` (a store without native expiry prunes in the
 * background). Add only how the store reaches {{name}}: preferably a client the caller builds
 * and passes in, so the driver stays a peer dependency and the caller owns its connection.
 *
 * @example
 * ```ts
 * const options: {{Name}}StoreOptions = { namespace: 'shop', operationTimeout: 1000 };
 * ```
 */
export interface {{Name}}StoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /**
   * The {{name}} client the store talks through; the store never closes a client it was given.
   * Replace `unknown` with the driver's client type once the driver is a peer dependency.
   */
  client?: unknown;
}
