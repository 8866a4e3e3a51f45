/**
 * {@link RedisClient} on a node-redis client (`redis` / `@redis/client`, majors 5 and 6): a
 * `createClient()` or a `createCluster()` the caller created, connected and owns. The store
 * never closes it and never adds listeners to it. Every call is one raw `sendCommand`, which
 * node-redis pipelines on its own; the typed command wrappers would only add argument parsing.
 *
 * Only the shapes the store uses are declared here (structurally), so `redis` stays an
 * optional peer dependency: nothing is imported from it, at run time or in the types.
 */
import type { RedisClient, ScanNode } from './client.js';
import { hashSlot } from './layout.js';

/** A node-redis standalone client (`createClient()`), as far as the store uses it. */
export interface NodeRedisClient {
  /** `connect()` was called and the client was not closed since. */
  readonly isOpen: boolean;
  /** Connected and ready for commands (false while connecting or reconnecting). */
  readonly isReady: boolean;
  /** Send one raw command line (`['GET', key]`); node-redis pipelines concurrent calls. */
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis's graceful close. Never called on a client you gave the store. */
  close(): Promise<unknown>;
  /** node-redis's immediate close. Never called on a client you gave the store. */
  destroy(): unknown;
}

/** A master of a node-redis cluster, as listed by `cluster.masters`. */
export interface NodeRedisClusterNode {
  /** The node's `host:port`. */
  readonly address: string;
  /** Its connection, once node-redis opened one. */
  readonly client?: {
    /** `connect()` was called and the connection was not closed since. */
    readonly isOpen: boolean;
    /** Connected and ready for commands (false while connecting or reconnecting). */
    readonly isReady: boolean;
  };
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
        /** The master that serves the slot. */
        readonly master: NodeRedisClusterNode;
      }
    | undefined
  >;
  /**
   * Send one raw command line to the node that owns the slot of `firstKey` (any node when
   * `undefined`).
   */
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  /** The client of one node, connected on demand. */
  nodeClient(node: NodeRedisClusterNode): Promise<NodeRedisClient>;
  /** node-redis's graceful close. Never called on a cluster you gave the store. */
  close(): Promise<unknown>;
  /** node-redis's immediate close. Never called on a cluster you gave the store. */
  destroy(): unknown;
}

/** Whether `client` is a node-redis client or cluster (ioredis has no `isOpen`). */
export function isNodeRedis(client: object): client is NodeRedisClient | NodeRedisCluster {
  return typeof (client as { isOpen?: unknown }).isOpen === 'boolean';
}

/** The key prefix a node-redis client would add (node-redis 6's `keyPrefix` option). */
export function nodeRedisKeyPrefix(client: NodeRedisClient | NodeRedisCluster): unknown {
  return (client as { options?: { keyPrefix?: unknown } }).options?.keyPrefix;
}

const isCluster = (client: NodeRedisClient | NodeRedisCluster): client is NodeRedisCluster =>
  typeof (client as NodeRedisCluster).nodeClient === 'function';

/** The EVAL / EVALSHA command line: name, script, key count, keys, arguments. */
function scriptCommand(
  name: string,
  script: string,
  keys: readonly string[],
  args: readonly string[],
): string[] {
  const command = [name, script, String(keys.length)];
  for (const key of keys) command.push(key);
  for (const arg of args) command.push(arg);
  return command;
}

/** SCAN on one server; a node that is reconnecting fails at once rather than queue the page. */
const scanOf =
  (client: NodeRedisClient): ScanNode['scan'] =>
  (cursor, pattern, count) =>
    client.isOpen && !client.isReady
      ? Promise.reject(new Error('the node-redis connection to a master is reconnecting'))
      : (client.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(count)]) as Promise<
          [string, string[]]
        >);

const notConnected = () =>
  new Error('the node-redis cluster client is not connected (call connect() first)');

/** {@link RedisClient} on a standalone node-redis client. */
function standalone(native: NodeRedisClient): RedisClient {
  const send = (args: string[]) => native.sendCommand(args);
  return {
    native,
    owned: false,
    isCluster: false,
    // Connecting or reconnecting: node-redis would queue the call until its socket is back;
    // fail fast instead, as with ioredis. (A closed client rejects every call by itself.)
    unreachable: () =>
      native.isOpen && !native.isReady
        ? new Error('the node-redis client is not connected (connecting or reconnecting)')
        : undefined,
    get: (key) => send(['GET', key]) as Promise<string | null>,
    mget: (keys) => send(['MGET', ...keys]) as Promise<Array<string | null>>,
    evalsha: (sha, keys, args) => send(scriptCommand('EVALSHA', sha, keys, args)),
    eval: (source, keys, args) => send(scriptCommand('EVAL', source, keys, args)),
    unlink: (keys) => send(['UNLINK', ...keys]) as Promise<number>,
    scanNodes: async () => [{ scan: scanOf(native) }],
    quit: () => native.close(),
    disconnect: () => void native.destroy(),
  };
}

/** The slot of a key: of its hash tag (every key of the store starts with one). */
function slotOf(key: string): number {
  const close = key.indexOf('}');
  return hashSlot(key.startsWith('{') && close > 1 ? key.slice(1, close) : key);
}

/**
 * {@link RedisClient} on a node-redis cluster. Every command names its first key, which routes
 * it to the master of that key's slot (reads too: a read must see the write before it, which
 * a replica may not have yet).
 */
function cluster(native: NodeRedisCluster): RedisClient {
  const send = (firstKey: string, args: string[]) => {
    // node-redis keeps a connection per master, each reconnecting on its own, and would queue
    // a call to a master that is down: fail it at once instead, as a whole ioredis cluster
    // client does while reconnecting. The other masters' slots keep working.
    const master = native.slots[slotOf(firstKey)]?.master;
    const connection = master?.client;
    if (connection?.isOpen && !connection.isReady) {
      const cause = new Error(`the node-redis connection to ${master?.address} is reconnecting`);
      return Promise.reject(cause);
    }
    return native.sendCommand(firstKey, false, args);
  };
  return {
    native,
    owned: false,
    isCluster: true,
    // Closed or never connected: no slot map to route by. Otherwise reachability is per
    // master, in `send`.
    unreachable: () => (native.isOpen ? undefined : notConnected()),
    get: (key) => send(key, ['GET', key]) as Promise<string | null>,
    mget: (keys) => send(keys[0] as string, ['MGET', ...keys]) as Promise<Array<string | null>>,
    evalsha: (sha, keys, args) =>
      send(keys[0] as string, scriptCommand('EVALSHA', sha, keys, args)),
    eval: (source, keys, args) =>
      send(keys[0] as string, scriptCommand('EVAL', source, keys, args)),
    unlink: (keys) => send(keys[0] as string, ['UNLINK', ...keys]) as Promise<number>,
    async scanNodes() {
      // Without a slot map, there would be no master to scan and a walk would find nothing.
      if (!native.isOpen || native.masters.length === 0) throw notConnected();
      const clients = await Promise.all(native.masters.map((node) => native.nodeClient(node)));
      return clients.map((client) => ({ scan: scanOf(client) }));
    },
    quit: () => native.close(),
    disconnect: () => void native.destroy(),
  };
}

/** {@link RedisClient} on a caller's node-redis client or cluster (never owned by the store). */
export function nodeRedisClient(native: NodeRedisClient | NodeRedisCluster): RedisClient {
  return isCluster(native) ? cluster(native) : standalone(native);
}
