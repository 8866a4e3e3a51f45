// The client libraries the store is tested through. With ioredis the store creates its own
// bounded client from the target (`url` / `clusterNodes`); with node-redis 6 and 5 the test
// creates and connects a client as a user would, hands it to the store as `client`, and closes
// it after the store (the store never closes a caller's client).

import { setTimeout as delay } from 'node:timers/promises';
import type { SessionData } from '@sessions/core';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { RedisStore, type RedisStoreClient, type RedisStoreOptions } from '../src/index.js';

/** Where the tests connect: a standalone URL or cluster node addresses. */
export type Target = { url: string } | { clusterNodes: string[] };

/** A client library a store is tested through. */
export interface ClientFlavor {
  /** Label for test names: `ioredis`, `node-redis 6`, `node-redis 5`. */
  readonly name: string;
  /**
   * A store on `target`, whose `close()` also closes the client the test created for it. The
   * first connection is waited for (`true`, the default), not at all (`false`: the server is
   * down), or at most so many ms.
   */
  open<D = SessionData>(
    target: Target,
    options?: Partial<RedisStoreOptions<D>>,
    connected?: boolean | number,
  ): Promise<RedisStore<D>>;
}

/** A store that closes, after itself, the client the test gave it. */
class StoreWithClient<D> extends RedisStore<D> {
  readonly #release: () => void;

  constructor(options: RedisStoreOptions<D>, release: () => void) {
    super(options);
    this.#release = release;
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.#release();
    }
  }
}

/** What a node-redis major offers the tests (the two majors' factories differ only in types). */
interface NodeRedisLibrary {
  createClient(options: object): NodeRedisHandle;
  createCluster(options: object): NodeRedisHandle;
}
type NodeRedisHandle = RedisStoreClient & {
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
};

/** The settings a user would give node-redis for a bounded store (the README recommends them). */
function boundedOptions(operationTimeout: number) {
  return {
    socket: {
      connectTimeout: operationTimeout,
      reconnectStrategy: (retries: number) => Math.min(retries * 50, 500),
    },
    // Commands not yet written when the connection drops are rejected then, not sent later.
    disableOfflineQueue: true,
  };
}

function nodeRedis(name: string, library: NodeRedisLibrary): ClientFlavor {
  return {
    name,
    async open<D>(
      target: Target,
      options: Partial<RedisStoreOptions<D>> = {},
      connected: boolean | number = true,
    ) {
      const bounded = boundedOptions(options.operationTimeout ?? 2000);
      const client =
        'url' in target
          ? library.createClient({ url: target.url, ...bounded })
          : library.createCluster({
              rootNodes: target.clusterNodes.map((address) => ({ url: `redis://${address}` })),
              defaults: bounded,
            });
      // A user's client has an error listener: node-redis reports each failed reconnection.
      client.on('error', () => {});
      const connecting = client.connect();
      if (connected === true) await connecting;
      else {
        connecting.catch(() => {});
        if (connected !== false) await Promise.race([connecting, delay(connected)]);
      }
      const release = () => {
        try {
          client.destroy();
        } catch {
          // Already closed.
        }
      };
      return new StoreWithClient<D>({ ...options, client }, release);
    },
  };
}

/** ioredis: the store creates (and closes) its client from the target. */
export const IOREDIS: ClientFlavor = {
  name: 'ioredis',
  open: async <D>(target: Target, options: Partial<RedisStoreOptions<D>> = {}) =>
    new RedisStore<D>({ ...options, ...target }),
};

/** node-redis 6 and 5, each through a client the test creates. */
export const NODE_REDIS: readonly ClientFlavor[] = [
  nodeRedis('node-redis 6', {
    createClient: createClient6,
    createCluster: createCluster6,
  } as never),
  nodeRedis('node-redis 5', {
    createClient: createClient5,
    createCluster: createCluster5,
  } as never),
];

/** Every client library the store supports. */
export const CLIENT_FLAVORS: readonly ClientFlavor[] = [IOREDIS, ...NODE_REDIS];
