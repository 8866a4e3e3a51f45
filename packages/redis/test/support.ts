// Shared by the tests: clients for the test servers, raw access to what a store wrote, the
// client libraries a store is tested through, and the conformance factory for a standalone
// server or a cluster.
import type { RawAccess, StoreFactory } from '@sessions/conformance';
import { Cluster, Redis } from 'ioredis';
import { formatEnvelope } from '../src/envelope.js';
import { KeyLayout, type RedisStore, type RedisStoreOptions } from '../src/index.js';
import { type ClientFlavor, IOREDIS, type Target } from './client-flavors.js';

export type { Target } from './client-flavors.js';
export { CLIENT_FLAVORS, type ClientFlavor, IOREDIS, NODE_REDIS } from './client-flavors.js';

/** A plain client for a target, for reading and writing behind the store's back. */
export function rawClient(target: Target): Redis | Cluster {
  if ('url' in target) return new Redis(target.url, { maxRetriesPerRequest: 1 });
  const nodes = target.clusterNodes.map((address) => {
    const [host = '127.0.0.1', port = '0'] = address.split(':');
    return { host, port: Number(port) };
  });
  return new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
}

/** Every master of a cluster client (waiting until it knows them), or the one server. */
export async function masters(client: Redis | Cluster): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client.nodes('master');
}

/** One range of a cluster's slots and the port of the master serving it. */
export interface SlotRange {
  low: number;
  high: number;
  port: number;
}

/** A cluster's slot ranges, from `CLUSTER SLOTS` asked of any node. */
export async function slotRanges(client: Redis | Cluster): Promise<SlotRange[]> {
  const reply = (await client.cluster('SLOTS')) as unknown as Array<
    [number, number, [string, number]]
  >;
  return reply.map(([low, high, [, port]]) => ({ low, high, port }));
}

/** Every Redis key of a layout's namespace, found with SCAN on every master. */
export async function namespaceKeys(client: Redis | Cluster, layout: KeyLayout): Promise<string[]> {
  const keys: string[] = [];
  for (const node of await masters(client)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', layout.scanPattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found.filter((key) => layout.owns(key) !== undefined));
    } while (cursor !== '0');
  }
  return keys;
}

/** The conformance suite's raw access: GET, a direct SET, PEXPIRETIME, a SCAN dump. */
export function redisRaw(client: Redis | Cluster, layout: KeyLayout): RawAccess {
  return {
    async read(key) {
      return (await client.get(layout.sessionKey(key))) ?? undefined;
    },
    async writePayload(key, payload, expiresAt) {
      const text = formatEnvelope(expiresAt, 1, undefined, payload);
      await client.set(layout.sessionKey(key), text, 'PXAT', expiresAt);
    },
    async nativeExpiresAt(key) {
      const at = Number(await client.call('PEXPIRETIME', layout.sessionKey(key)));
      return at < 0 ? undefined : at;
    },
    async dump() {
      const lines: string[] = [];
      for (const redisKey of await namespaceKeys(client, layout)) {
        const type = await client.type(redisKey);
        const value =
          type === 'string'
            ? await client.get(redisKey)
            : type === 'zset'
              ? await client.zrange(redisKey, 0, -1, 'WITHSCORES')
              : await client.dump(redisKey);
        lines.push(`${redisKey} ${type} ${JSON.stringify(value)}`);
      }
      return lines.join('\n');
    },
  };
}

/**
 * The conformance factory for a target, through a client library. With ioredis, stores
 * connect on their own (from `url` or `clusterNodes`, so the suite also covers the bounded
 * clients the store creates); with node-redis, each store gets a client of its own, closed
 * with it. Raw access goes through one shared ioredis client, closed by `close()`.
 */
export function redisFactory(
  name: string,
  target: Target,
  extra: Partial<RedisStoreOptions> = {},
  flavor: ClientFlavor = IOREDIS,
): { factory: StoreFactory; close(): Promise<void> } {
  let raw: Redis | Cluster | undefined;
  const factory: StoreFactory = {
    name,
    capabilities: { nativeExpiry: 'prompt' },
    create: ({ namespace, clock, codec }) =>
      flavor.open(target, { ...extra, namespace, clock, codec }),
    raw(store, { namespace }) {
      raw ??= rawClient(target);
      return redisRaw(raw, new KeyLayout(namespace, (store as RedisStore).layout.buckets));
    },
  };
  return {
    factory,
    async close() {
      await raw?.quit();
    },
  };
}
