/**
 * `@sessions/redis`: a session store on Redis (standalone or Cluster) through ioredis or
 * node-redis.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@sessions/redis';
 * const store = new RedisStore({ url: process.env.REDIS_URL, namespace: 'shop' });
 * ```
 *
 * @packageDocumentation
 */
export { DEFAULT_BUCKETS, KeyLayout, MAX_BUCKETS } from './layout.js';
export type {
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisClusterNode,
  NodeRedisConnection,
} from './node-redis-client.js';
export type { RedisStoreClient, RedisStoreOptions } from './options.js';
export { boundedClusterOptions, boundedRedisOptions } from './options.js';
export { RedisStore } from './redis-store.js';
