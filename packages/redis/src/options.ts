/**
 * Options of the Redis store beyond the shared ones the kit validates, and the bounded settings
 * of a client the store creates.
 */
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
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
   * A client you created, connected and own: the store never closes it nor changes its
   * settings, so give it timeouts of your own (`operationTimeout` still bounds every call). It
   * must not use a `keyPrefix`; use `namespace`.
   */
  client?: RedisStoreClient;
  /** A `redis://` or `rediss://` URL: the store creates (and closes) a bounded ioredis client. */
  url?: string;
  /** Redis Cluster seed nodes, `"host:port"`: the store creates (and closes) a bounded `Cluster`. */
  clusterNodes?: readonly string[];
  /** Extra ioredis settings (password, TLS, `db`...) for a client the store creates; they win. */
  redisOptions?: RedisOptions;
  /**
   * How many hash-tagged groups a namespace is split into (default 16, 1 to 1024): on Redis
   * Cluster, how many slots it spreads over; `listByUser` and `deleteByUser` visit each. Part of
   * the key layout: keep it fixed for the life of a namespace (a change hides its sessions).
   */
  buckets?: number;
}

/** Never give up (the store recovers by itself), and retry at most 500 ms apart. */
const retry = (times: number) => Math.min(times * 50, 500);

/**
 * The settings of a client the store creates: fail fast while Redis is down, reconnect quickly
 * when it is back (the README's "Options" says why each one).
 *
 * @example
 * ```ts
 * const client = new Redis(url, { ...boundedRedisOptions(2000), db: 2 });
 * ```
 */
export function boundedRedisOptions(operationTimeout: number): RedisOptions {
  return {
    // No `commandTimeout`: the store's deadline bounds every call (a timer per command: -5-10 %).
    connectTimeout: operationTimeout,
    maxRetriesPerRequest: 0, // a command whose connection drops fails now, not after 20 attempts
    enableOfflineQueue: true, // a new store waits for its first connection
    autoResendUnfulfilledCommands: false, // reported as failed: never replayed later
    retryStrategy: retry,
  };
}

/**
 * The cluster-level counterpart of {@link boundedRedisOptions}; `redisOptions` applies to each
 * node's connection.
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
    clusterRetryStrategy: retry,
    slotsRefreshTimeout: operationTimeout,
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    maxRedirections: 8,
  };
}
