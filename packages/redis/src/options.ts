/**
 * Options of the Redis store (beyond the shared ones the kit validates), and the bounded
 * client settings it uses for clients it creates.
 */
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { DEFAULT_BUCKETS, MAX_BUCKETS } from './layout.js';
import type { NodeRedisClient, NodeRedisCluster } from './node-redis-client.js';

/** The name every error of this package carries as `source`. */
export const SOURCE = '@sessions/redis';

/**
 * A client the store accepts: ioredis's `Redis` or `Cluster`, or node-redis's (`redis` /
 * `@redis/client` 5 or 6) `createClient()` or `createCluster()`, connected.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: RedisStoreClient = await createClient({ url }).on('error', log.warn).connect();
 * ```
 */
export type RedisStoreClient = Redis | Cluster | NodeRedisClient | NodeRedisCluster;

/**
 * Options of {@link RedisStore}. Give exactly one of `client`, `url` or `clusterNodes`.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', namespace: 'shop' };
 * ```
 */
export interface RedisStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /**
   * A client you created and own: an ioredis `Redis` or `Cluster`, or a node-redis
   * `createClient()` or `createCluster()` (connected: `await client.connect()`). The store
   * never closes it and does not change its settings, so give it timeouts of your own (the
   * store's `operationTimeout` still bounds every call). It must not use a `keyPrefix`; use
   * `namespace`.
   */
  client?: RedisStoreClient;
  /** A `redis://` or `rediss://` URL: the store creates (and closes) a bounded client. */
  url?: string;
  /**
   * Redis Cluster seed nodes (`"host:port"`): the store creates (and closes) a bounded
   * `Cluster` client.
   */
  clusterNodes?: readonly string[];
  /**
   * Extra ioredis settings for a client the store creates from `url` or `clusterNodes`
   * (password, TLS, `db`...). They override the store's bounded defaults.
   */
  redisOptions?: RedisOptions;
  /**
   * How many hash-tagged groups a namespace is split into (default 16, 1 to 1024). On Redis
   * Cluster, this is how many slots a namespace spreads over; `listByUser` and
   * `deleteByUser` visit every bucket. Part of the key layout: keep it fixed for the life of
   * a namespace (changing it hides existing sessions from the store).
   */
  buckets?: number;
}

/** The `buckets` option, checked (a `TypeError` before anything connects). */
export function resolveBuckets(buckets: number = DEFAULT_BUCKETS): number {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
    throw new TypeError(`[${SOURCE}] buckets must be an integer from 1 to ${MAX_BUCKETS}`);
  }
  return buckets;
}

/**
 * The settings of a client the store creates: fail fast while Redis is down, reconnect quickly
 * when it is back (the README's "Options" says why each one).
 *
 * @example
 * ```ts
 * // Your own client, with the settings the store would have chosen:
 * const client = new Redis(url, { ...boundedRedisOptions(2000), db: 2 });
 * client.on('error', (err) => log.warn(err));
 * const store = new RedisStore({ client });
 * ```
 */
export function boundedRedisOptions(operationTimeout: number): RedisOptions {
  return {
    // No `commandTimeout`: the store's deadline bounds every call; a second timer per command
    // cost 5-10 % of `get` throughput.
    connectTimeout: operationTimeout,
    // Commands waiting on a connection that drops are rejected at once, not after 20 attempts.
    maxRetriesPerRequest: 0,
    // A store used right after it was created waits for its first connection; while the
    // client is reconnecting, the store itself fails fast instead.
    enableOfflineQueue: true,
    // Commands in flight when the connection dropped were reported as failed: never replayed.
    autoResendUnfulfilledCommands: false,
    // Never give up (the store must recover by itself), and retry at most 500 ms apart.
    retryStrategy: (times: number) => Math.min(times * 50, 500),
  };
}

/**
 * The cluster-level counterpart of {@link boundedRedisOptions}: fail fast, retry at most 500 ms
 * apart, bounded slot refreshes; `redisOptions` applies to each node's connection.
 *
 * @example
 * ```ts
 * const cluster = new Cluster(seeds, boundedClusterOptions(2000, boundedRedisOptions(2000)));
 * ```
 */
export function boundedClusterOptions(
  operationTimeout: number,
  redisOptions: RedisOptions,
): ClusterOptions {
  return {
    redisOptions,
    enableOfflineQueue: true,
    clusterRetryStrategy: (times: number) => Math.min(times * 50, 500),
    slotsRefreshTimeout: operationTimeout,
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    maxRedirections: 8,
  };
}
