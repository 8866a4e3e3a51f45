/**
 * The one narrow interface the driver sends commands through ({@link RedisClient}), its ioredis
 * implementation (node-redis's is in `node-redis-client.ts`), and {@link openClient}, which
 * resolves the `client` / `url` / `clusterNodes` option into one.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { oneOfOptions } from '@sessions/core/kit';
import { Cluster, Redis } from 'ioredis';
import { isNodeRedis, nodeRedisClient } from './node-redis-client.js';
import {
  boundedClusterOptions,
  boundedRedisOptions,
  type RedisStoreClient,
  type RedisStoreOptions,
  SOURCE,
} from './options.js';

/**
 * Sends one command line (`['get', key]`) and resolves to the reply; on a cluster, `key` (the
 * command's first key, or its hash tag) routes it. While Redis is known to be down (the client,
 * or the master the command goes to, is reconnecting), it rejects at once instead of queueing.
 */
export type Send = (line: string[], key?: string) => Promise<unknown>;

/** What the driver needs of a client. */
export interface RedisClient {
  /** The client library's own object. */
  readonly native: RedisStoreClient;
  readonly isCluster: boolean;
  readonly send: Send;
  /** A sender per server a SCAN must visit: each master of a cluster (once known), or the one. */
  scanNodes(signal: AbortSignal): Promise<Send[]>;
  /** Close the client, waiting at most `ms` for the goodbye: only one the store created. */
  close?(ms: number): Promise<void>;
}

/** {@link RedisClient} on an ioredis `Redis` or `Cluster`; `owned` if the store created it. */
function ioredisClient(native: Redis | Cluster, owned: boolean): RedisClient {
  const isCluster = (native as { isCluster?: boolean }).isCluster === true;
  let lastError: Error | undefined;
  // Connection errors reach callers as the operations they break (the last one as their
  // cause); unlistened, ioredis would print every failed reconnection.
  if (owned) native.on('error', (err: Error) => (lastError = err));
  if (owned && isCluster) native.on('+node', guardAsking);
  const down = () =>
    native.status === 'reconnecting'
      ? Promise.reject(lastError ?? new Error('the ioredis client is reconnecting'))
      : undefined;
  const client: RedisClient = {
    native,
    isCluster,
    send: (line) => down() ?? native.call(...(line as [string, ...string[]])),
    async scanNodes(signal) {
      await down();
      const cluster = native as Cluster;
      if (isCluster && cluster.status !== 'ready') await once(cluster, 'ready', { signal });
      const nodes = isCluster ? cluster.nodes('master') : [native as Redis];
      return nodes.map((node) => (line) => node.call(...(line as [string, ...string[]])));
    },
  };
  if (owned) {
    client.close = async (ms) => {
      // The goodbye (QUIT, pending replies first) is a courtesy: a silent server must not make
      // close() fail. The connections are dropped either way.
      await Promise.race([native.quit().catch(() => {}), delay(ms, undefined, { ref: false })]);
      native.disconnect();
    };
  }
  return client;
}

/**
 * On an `ASK` redirection ioredis 5 sends `ASKING` to the target node and drops the command's
 * promise (`redis.asking()` in its cluster code): if that connection closes before the reply (a
 * node going away mid-migration, or the store closing), the rejection is unhandled, and Node
 * ends the process. The cluster clients the store creates handle it for ioredis: the command
 * that follows the `ASKING` still fails, and its caller hears of it.
 */
function guardAsking(node: Redis): void {
  const asking = node.asking.bind(node);
  node.asking = ((...args: Parameters<Redis['asking']>) => {
    const reply = asking(...args);
    reply.catch(() => {});
    return reply;
  }) as Redis['asking'];
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
export function openClient(options: RedisStoreOptions<unknown>, timeout: number): RedisClient {
  const { client, url, clusterNodes } = options;
  oneOfOptions(options, ['client', 'url', 'clusterNodes'], SOURCE);
  const redisOptions = { ...boundedRedisOptions(timeout), ...options.redisOptions };
  if (url !== undefined) return ioredisClient(new Redis(url, redisOptions), true);
  if (clusterNodes !== undefined) {
    if (clusterNodes.length === 0) throw new TypeError(`[${SOURCE}] clusterNodes is empty`);
    const cluster = new Cluster(
      clusterNodes.map(parseNode),
      boundedClusterOptions(timeout, redisOptions),
    );
    return ioredisClient(cluster, true);
  }
  // Scripts build index keys from the bucket's hash tag, which a client-side prefix would not
  // reach: the two layouts would disagree. (ioredis and node-redis 6 both call it `keyPrefix`.)
  if ((client as { options?: { keyPrefix?: unknown } }).options?.keyPrefix) {
    throw new TypeError(
      `[${SOURCE}] a client with keyPrefix is not supported; use the namespace option`,
    );
  }
  const given = client as RedisStoreClient;
  return isNodeRedis(given) ? nodeRedisClient(given) : ioredisClient(given, false);
}
