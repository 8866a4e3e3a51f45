/**
 * The client a store talks through: the caller's own (never changed, never closed), or one the
 * store creates from a URL or cluster nodes with bounded settings (and closes).
 */
import { Cluster, Redis } from 'ioredis';
import { boundedClusterOptions, boundedRedisOptions, type RedisStoreOptions } from './options.js';
import type { RedisClient } from './scripts.js';

/** A resolved connection. */
export interface Connection {
  readonly client: RedisClient;
  /** Whether the store created the client (and so closes it). */
  readonly owned: boolean;
  /** Whether it is a Redis Cluster client. */
  readonly isCluster: boolean;
  /** The last connection error of a client the store created (the cause of fast failures). */
  lastError?: Error;
}

function parseNode(address: string, source: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new TypeError(`[${source}] a cluster node must be "host:port", got "${address}"`);
  }
  return { host: address.slice(0, at), port };
}

/**
 * Connection errors reach callers as the rejected operations they break (the last one is kept
 * as their cause); unlistened, ioredis would print every reconnection failure. So clients the
 * store creates get a listener.
 */
function owned(client: RedisClient, isCluster: boolean): Connection {
  const connection: Connection = { client, owned: true, isCluster };
  client.on('error', (err: Error) => {
    connection.lastError = err;
  });
  return connection;
}

/** Resolve the store's `client` / `url` / `clusterNodes` option (exactly one must be set). */
export function openConnection(
  options: Pick<RedisStoreOptions, 'client' | 'url' | 'clusterNodes' | 'redisOptions'>,
  operationTimeout: number,
  source: string,
): Connection {
  const given = [options.client, options.url, options.clusterNodes].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new TypeError(`[${source}] give exactly one of client, url or clusterNodes`);
  }
  const redisOptions = { ...boundedRedisOptions(operationTimeout), ...options.redisOptions };
  if (options.url !== undefined) {
    return owned(new Redis(options.url, redisOptions), false);
  }
  if (options.clusterNodes !== undefined) {
    if (options.clusterNodes.length === 0) throw new TypeError(`[${source}] clusterNodes is empty`);
    const nodes = options.clusterNodes.map((address) => parseNode(address, source));
    return owned(new Cluster(nodes, boundedClusterOptions(operationTimeout, redisOptions)), true);
  }
  const client = options.client as RedisClient;
  // Scripts build index keys from the bucket's hash tag; a client-side prefix would not
  // reach those, so the two layouts would disagree.
  if (client.options?.keyPrefix) {
    throw new TypeError(
      `[${source}] a client with keyPrefix is not supported; use the namespace option`,
    );
  }
  return {
    client,
    owned: false,
    isCluster: (client as { isCluster?: boolean }).isCluster === true,
  };
}

/** The clients to SCAN to see every key: each master of a cluster, or the one server. */
export function scanTargets(connection: Connection): Redis[] {
  return connection.isCluster
    ? (connection.client as Cluster).nodes('master')
    : [connection.client as Redis];
}
