/**
 * {@link RedisClient} on a node-redis client or cluster (`redis` / `@redis/client` 5 or 6) that
 * the caller created, connected and owns: the store never closes it nor adds listeners to it.
 * Every command is one raw `sendCommand` (node-redis pipelines them; the typed wrappers would
 * only add argument parsing). Only the shapes used are declared, structurally, so `redis` stays
 * an optional peer dependency: nothing is imported from it, at run time or in the types.
 */
import type { RedisClient, Send } from './client.js';
import { hashSlot } from './layout.js';

/** The state of a node-redis connection: of a client, or of a cluster's connection to a node. */
export interface NodeRedisConnection {
  /** `connect()` was called and the connection was not closed since. */
  readonly isOpen: boolean;
  /** Connected and ready for commands (false while connecting or reconnecting). */
  readonly isReady: boolean;
}

/** A node-redis standalone client (`createClient()`), as far as the store uses it. */
export interface NodeRedisClient extends NodeRedisConnection {
  /** Send one raw command line (`['GET', key]`); node-redis pipelines concurrent calls. */
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis's graceful close (the store never closes a client you gave it). */
  close(): Promise<unknown>;
  /** node-redis's immediate close. */
  destroy(): unknown;
}

/** A master of a node-redis cluster, as listed by `cluster.masters`. */
export interface NodeRedisClusterNode {
  /** The node's `host:port`. */
  readonly address: string;
  /** Its connection, once node-redis opened one. */
  readonly client?: NodeRedisConnection;
}

/** A node-redis cluster client (`createCluster()`), as far as the store uses it. */
export interface NodeRedisCluster {
  /** `connect()` was called and the cluster client was not closed since. */
  readonly isOpen: boolean;
  /** The masters of the slot map node-redis knows (empty before `connect()`). */
  readonly masters: readonly NodeRedisClusterNode[];
  /** Who serves each of the 16384 slots, by slot number (once `connect()` discovered them). */
  readonly slots: ReadonlyArray<
    | {
        /** The master serving the slot. */
        readonly master: NodeRedisClusterNode;
      }
    | undefined
  >;
  /** Send one raw command line to the master of `firstKey`'s slot (any node when undefined). */
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  /** The client of one node, connected on demand. */
  nodeClient(node: NodeRedisClusterNode): Promise<NodeRedisClient>;
  /** node-redis's graceful close (the store never closes a cluster you gave it). */
  close(): Promise<unknown>;
  /** node-redis's immediate close. */
  destroy(): unknown;
}

/** Whether `client` is a node-redis client or cluster (ioredis has no `isOpen`). */
export function isNodeRedis(client: object): client is NodeRedisClient | NodeRedisCluster {
  return typeof (client as { isOpen?: unknown }).isOpen === 'boolean';
}

/**
 * A rejection while `connection` is open but not ready: node-redis would queue the command until
 * its socket is back; fail at once, as with ioredis. A closed one rejects commands by itself.
 */
const notReady = (connection: NodeRedisConnection | undefined, name: string | undefined) =>
  connection?.isOpen && !connection.isReady
    ? Promise.reject(new Error(`the node-redis connection to ${name} is not ready (reconnecting)`))
    : undefined;

const notConnected = () =>
  Promise.reject(
    new Error('the node-redis cluster client is not connected (call connect() first)'),
  );

/** The slot of a Redis key of this store: of its hash tag, which every key starts with. */
const slotOf = (key: string) => hashSlot(key.slice(1, key.indexOf('}')));

/** {@link RedisClient} on a caller's node-redis client or cluster (never closed by the store). */
export function nodeRedisClient(native: NodeRedisClient | NodeRedisCluster): RedisClient {
  if (!('nodeClient' in native)) {
    const send: Send = (line) => notReady(native, 'Redis') ?? native.sendCommand(line);
    return { native, isCluster: false, send, scanNodes: async () => [send] };
  }
  return {
    native,
    isCluster: true,
    // Each command goes to the master of its first key's slot (reads too: a replica may not
    // have the write before it yet). node-redis keeps a connection per master, each
    // reconnecting on its own: a master that is down fails its slots' calls, the others work.
    send(line, key) {
      if (!native.isOpen) return notConnected();
      const master = native.slots[slotOf(key as string)]?.master;
      return notReady(master?.client, master?.address) ?? native.sendCommand(key, false, line);
    },
    async scanNodes() {
      // Without a slot map there would be no master to scan, and a walk would find nothing.
      if (!native.isOpen || native.masters.length === 0) return notConnected();
      const clients = await Promise.all(native.masters.map((node) => native.nodeClient(node)));
      return clients.map(
        (client) => (line) => notReady(client, 'a master') ?? client.sendCommand(line),
      );
    },
  };
}
