/**
 * Options of the Redis store, and the bounded client settings it uses for clients it creates.
 */
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/** The default bound on one operation, in ms. */
export const DEFAULT_OPERATION_TIMEOUT = 2000;

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
   * An ioredis `Redis` or `Cluster` you created and own: the store never closes it, and does
   * not change its settings, so give it timeouts of your own (the store's `operationTimeout`
   * still bounds every call). It must not use ioredis's `keyPrefix`; use `namespace`.
   */
  client?: Redis | Cluster;
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
   * The most one operation may take, in ms, whatever the client does (default 2000). Past it
   * the operation rejects with `UNAVAILABLE`; a write may still reach Redis later (see the
   * README, "Failure behaviour").
   */
  operationTimeout?: number;
  /**
   * How many hash-tagged groups a namespace is split into (default 16, 1 to 1024). On Redis
   * Cluster, this is how many slots a namespace spreads over; `listByUser` and
   * `deleteByUser` visit every bucket. Part of the key layout: keep it fixed for the life of
   * a namespace (changing it hides existing sessions from the store).
   */
  buckets?: number;
}

/**
 * The settings of a client the store creates: fail fast while Redis is down, reconnect
 * quickly when it is back.
 *
 * - no `commandTimeout`: every store operation already runs under a deadline of
 *   `operationTimeout` (which also covers the offline queue and script reloads); a second
 *   timer per command would only cost throughput (about 5-10 % of `get`s, measured). Add one
 *   through `redisOptions` if you also use `store.client` directly.
 * - `connectTimeout`: a connection attempt that hangs is abandoned after `operationTimeout`.
 * - `maxRetriesPerRequest: 0`: when the connection drops, the commands waiting on it are
 *   rejected at once instead of after twenty reconnection attempts.
 * - the offline queue stays on, so commands issued while a connection is being made wait for
 *   it (with it off, a store used right after it was created would fail against a perfectly
 *   healthy Redis). While the client is reconnecting, the store itself fails fast instead.
 * - `retryStrategy`: reconnect after 50, 100, ... at most 500 ms, forever (never give up:
 *   the store must recover by itself), so a returning server is used again within a second.
 * - `autoResendUnfulfilledCommands: false`: commands in flight when the connection dropped
 *   were already reported as failed; they are not replayed behind the caller's back.
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
    connectTimeout: operationTimeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: false,
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
