import type { BaseStoreOptions, SessionData } from '@sessions/core';

/**
 * Options of {@link {{Name}}Store}. The shared ones (namespace, clock, codec, maxPayloadBytes)
 * come from `BaseStoreOptions`; add how the store reaches {{name}} here, preferably a client
 * the caller builds and passes in, so the driver stays a peer dependency and the caller owns
 * its connection settings.
 *
 * @example
 * ```ts
 * const options: {{Name}}StoreOptions = { namespace: 'shop' };
 * ```
 */
export interface {{Name}}StoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /**
   * How long one operation may take before it fails with `UnavailableError`, in ms.
   * Every store bounds its operations so a dead server never hangs a request.
   */
  operationTimeoutMs?: number;
}
