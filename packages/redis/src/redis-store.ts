/**
 * The Redis session store: Redis's primitives (redis-driver.ts) on the store kit. Redis expires
 * records natively, so there is no prune.
 */
import type { SessionData } from '@sessions/core';
import { DriverStore } from '@sessions/core/kit';
import type { KeyLayout } from './layout.js';
import { type RedisStoreClient, type RedisStoreOptions, SOURCE } from './options.js';
import { type RedisDriver, redisDriver } from './redis-driver.js';

/**
 * A `SessionStore` on Redis (standalone or Cluster) through ioredis or node-redis.
 *
 * `get` is one GET; `set`, `touch` and `delete` are one EVALSHA each, atomic with the user
 * index, on a single server and on Redis Cluster. Visibility is decided by the store's
 * `clock`; Redis's own expiry (`PX` of what the clock says is left) only removes what is
 * already invisible.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@sessions/redis';
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379', namespace: 'shop' });
 * const { version } = await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 60_000, userId: 'u1' });
 * await store.get('k1'); // { data: { cart: [] }, expiresAt, userId: 'u1', version: 1 }
 * await store.close();
 * ```
 */
export class RedisStore<D = SessionData> extends DriverStore<D, RedisDriver> {
  /** Where this store's records live (see the README, "Layout in the backend"). */
  readonly layout: KeyLayout;

  /**
   * Use the client given, or create an ioredis one (connecting in the background) from `url` or
   * `clusterNodes`.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: RedisStoreOptions<D>) {
    super(options, {
      source: SOURCE,
      // Redis's own limit on one value (`proto-max-bulk-len`, 512 MiB by default).
      payloadLimit: 512 * 1024 * 1024,
      driver: (o) => redisDriver(options ?? {}, o.namespace, o.operationTimeout),
    });
    this.layout = this.driver.layout;
  }

  /** The client in use: yours (ioredis or node-redis), or the ioredis one the store created. */
  get client(): RedisStoreClient {
    return this.driver.client.native;
  }
}
