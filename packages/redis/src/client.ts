/**
 * The few client calls the driver makes, behind one narrow interface ({@link RedisClient}), and
 * its ioredis implementation: the caller's own client (never changed, never closed), or one the
 * store creates from a URL or cluster nodes with bounded settings (and closes). A caller's
 * node-redis client is told apart here, in {@link openClient}, and served by
 * `node-redis-client.ts`.
 */
import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { isNodeRedis, nodeRedisClient, nodeRedisKeyPrefix } from './node-redis-client.js';
import {
  boundedClusterOptions,
  boundedRedisOptions,
  type RedisStoreClient,
  type RedisStoreOptions,
  SOURCE,
} from './options.js';

/** One server a SCAN visits: one page, the next cursor (`'0'` at the end) and the keys. */
export interface ScanNode {
  scan(cursor: string, pattern: string, count: number): Promise<[string, string[]]>;
}

/** What the driver needs of a Redis client: each method is one command (or one per node). */
export interface RedisClient {
  /** The client library's own object (ioredis `Redis` or `Cluster`, or node-redis's). */
  readonly native: RedisStoreClient;
  /** Whether the store created the client (and so closes it). */
  readonly owned: boolean;
  readonly isCluster: boolean;
  /** Why a call cannot succeed now (the client is reconnecting), or undefined. */
  unreachable(): Error | undefined;
  get(key: string): Promise<string | null>;
  mget(keys: readonly string[]): Promise<Array<string | null>>;
  evalsha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  eval(source: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  unlink(keys: readonly string[]): Promise<number>;
  /** The servers to SCAN to see every key: each master of a cluster (once known), or the one. */
  scanNodes(signal: AbortSignal): Promise<ScanNode[]>;
  /** Say goodbye (pending replies first), or drop the connections and timers now. */
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** {@link RedisClient} on an ioredis `Redis` or `Cluster`. */
function ioredisClient(native: Redis | Cluster, owned: boolean): RedisClient {
  const isCluster = (native as { isCluster?: boolean }).isCluster === true;
  let lastError: Error | undefined;
  // Connection errors reach callers as the rejected operations they break (the last one is
  // kept as their cause); unlistened, ioredis would print every reconnection failure.
  if (owned) native.on('error', (err: Error) => (lastError = err));
  return {
    native,
    owned,
    isCluster,
    unreachable: () =>
      native.status !== 'reconnecting'
        ? undefined
        : (lastError ?? new Error('the ioredis client is reconnecting')),
    get: (key) => native.get(key),
    mget: (keys) => native.mget(...keys),
    evalsha: (sha, keys, args) => native.evalsha(sha, keys.length, ...keys, ...args),
    eval: (source, keys, args) => native.eval(source, keys.length, ...keys, ...args),
    unlink: (keys) => native.unlink(...keys),
    async scanNodes(signal) {
      const cluster = native as Cluster;
      if (isCluster && cluster.status !== 'ready') await once(cluster, 'ready', { signal });
      return (isCluster ? cluster.nodes('master') : [native as Redis]).map((node) => ({
        scan: (cursor, pattern, count) => node.scan(cursor, 'MATCH', pattern, 'COUNT', count),
      }));
    },
    quit: () => native.quit(),
    disconnect: () => native.disconnect(),
  };
}

function parseNode(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new TypeError(`[${SOURCE}] a cluster node must be "host:port", got "${address}"`);
  }
  return { host: address.slice(0, at), port };
}

/** Resolve the store's `client` / `url` / `clusterNodes` option (exactly one must be set). */
export function openClient(
  options: Pick<RedisStoreOptions, 'client' | 'url' | 'clusterNodes' | 'redisOptions'>,
  operationTimeout: number,
): RedisClient {
  const given = [options.client, options.url, options.clusterNodes].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new TypeError(`[${SOURCE}] give exactly one of client, url or clusterNodes`);
  }
  const redisOptions = { ...boundedRedisOptions(operationTimeout), ...options.redisOptions };
  if (options.url !== undefined) return ioredisClient(new Redis(options.url, redisOptions), true);
  if (options.clusterNodes !== undefined) {
    if (options.clusterNodes.length === 0) throw new TypeError(`[${SOURCE}] clusterNodes is empty`);
    const nodes = options.clusterNodes.map(parseNode);
    const settings = boundedClusterOptions(operationTimeout, redisOptions);
    return ioredisClient(new Cluster(nodes, settings), true);
  }
  const client = options.client as RedisStoreClient;
  // Scripts build index keys from the bucket's hash tag; a client-side prefix would not
  // reach those, so the two layouts would disagree.
  const node = isNodeRedis(client);
  if (node ? nodeRedisKeyPrefix(client) : client.options?.keyPrefix) {
    throw new TypeError(
      `[${SOURCE}] a client with keyPrefix is not supported; use the namespace option`,
    );
  }
  return node ? nodeRedisClient(client) : ioredisClient(client, false);
}
