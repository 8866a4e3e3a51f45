// RedisStore against raw ioredis doing the same work on the same server: GET / SET ... PXAT /
// PEXPIREAT / DEL of the same payload, with the same JSON encode and decode. On a standalone
// redis-server and on a 3-master cluster (started here, or REDIS_URL / REDIS_CLUSTER_NODES),
// through the store's own ioredis client and through node-redis clients (6 and 5 on the
// standalone server, 6 on the cluster), then the cluster trade-off of the bucket count:
// listByUser with 1 bucket vs 16.
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import { startRedis, startRedisCluster } from '@sessions/test-services/redis';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { RedisStore } from '../src/index.js';
import { interleavedRatios } from './interleaved.js';

/** Raw ioredis commands, one per operation, on keys of their own. */
function rawTarget(client: Redis | Cluster): BenchTarget {
  const k = (key: string) => `bench-raw:${key}`;
  return {
    async get(key) {
      const text = await client.get(k(key));
      return text === null ? undefined : jsonCodec.decode(text);
    },
    set: (key, data, expiresAt) => client.set(k(key), jsonCodec.encode(data), 'PXAT', expiresAt),
    touch: async (key, expiresAt) => (await client.pexpireat(k(key), expiresAt)) === 1,
    delete: async (key) => (await client.del(k(key))) === 1,
  };
}

/** Run every operation a few thousand times first, so neither side is measured JIT-cold. */
async function warmUp(target: BenchTarget): Promise<void> {
  const data = { warm: 'x'.repeat(1000) };
  for (let round = 0; round < 50; round++) {
    await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const key = `warm-${i}`;
        await target.set(key, data, Date.now() + 60_000);
        await target.get(key);
        await target.touch(key, Date.now() + 60_000);
        await target.delete(key);
      }),
    );
  }
}

async function compare(
  title: string,
  store: RedisStore,
  raw: Redis | Cluster,
  servers: Redis[],
): Promise<void> {
  try {
    const [subject, baseline] = [storeTarget(store), rawTarget(raw)];
    await warmUp(subject);
    await warmUp(baseline);
    await runStoreBench({ title, subject, raw: baseline });
    const us = ([ours, theirs]: [number, number]) => `${ours.toFixed(1)} vs ${theirs.toFixed(1)}`;
    for (const { op, median, q1, q3, cpu } of await interleavedRatios(subject, baseline, {
      servers,
    })) {
      console.log(
        `${title}  ${op} (64 in flight), interleaved: ${median.toFixed(2)}x (quartiles ${q1.toFixed(2)}-${q3.toFixed(2)}); ` +
          `CPU µs per op, store vs raw: client ${us(cpu.client)}, server ${us(cpu.server)}`,
      );
    }
  } finally {
    for (const server of servers) server.disconnect();
    await store.clear();
    await store.close();
    await raw.quit();
  }
}

/** A client of each master of a cluster (to read its CPU time). */
async function mastersOf(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') {
    await new Promise<void>((resolve) => cluster.once('ready', () => resolve()));
  }
  return cluster
    .nodes('master')
    .map(({ options }) => new Redis({ host: options.host, port: options.port }));
}

/** Mean latency of listByUser for a user with 10 sessions, in ms. */
async function listLatency(store: RedisStore): Promise<number> {
  for (let i = 0; i < 10; i++)
    await store.set(`list-${i}`, { data: { i }, expiresAt: Date.now() + 60_000, userId: 'u' });
  const rounds = 300;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await store.listByUser('u');
  const mean = (performance.now() - started) / rounds;
  await store.clear();
  await store.close();
  return mean;
}

const standalone = process.env.REDIS_URL ? undefined : await startRedis();
const url = process.env.REDIS_URL ?? (standalone?.url as string);
await compare('redis (standalone)', new RedisStore({ url, namespace: 'bench' }), new Redis(url), [
  new Redis(url),
]);
// The same store on node-redis clients (automatic pipelining), against the same raw ioredis.
for (const [major, connect] of [
  ['6', () => createClient({ url }).connect()],
  ['5', () => createClient5({ url }).connect()],
] as const) {
  const nodeRedis = await connect();
  await compare(
    `redis (standalone, node-redis ${major})`,
    new RedisStore({ client: nodeRedis, namespace: 'bench-nr' }),
    new Redis(url),
    [new Redis(url)],
  );
  nodeRedis.destroy();
}
await standalone?.stop();

const cluster = process.env.REDIS_CLUSTER_NODES ? undefined : await startRedisCluster();
const nodes = process.env.REDIS_CLUSTER_NODES?.split(',') ?? (cluster?.addresses as string[]);
const seeds = nodes.map((address) => ({
  host: address.split(':')[0],
  port: Number(address.split(':')[1]),
}));
const clusterRaw = new Cluster(seeds);
await compare(
  'redis (cluster)',
  new RedisStore({ clusterNodes: nodes, namespace: 'bench' }),
  clusterRaw,
  await mastersOf(clusterRaw),
);
const nodeRedisCluster = await createCluster({
  rootNodes: nodes.map((address) => ({ url: `redis://${address}` })),
}).connect();
const clusterRaw2 = new Cluster(seeds);
await compare(
  'redis (cluster, node-redis 6)',
  new RedisStore({ client: nodeRedisCluster, namespace: 'bench-nr' }),
  clusterRaw2,
  await mastersOf(clusterRaw2),
);
nodeRedisCluster.destroy();

console.log('\nlistByUser of a user with 10 sessions, one at a time (mean latency):');
for (const buckets of [1, 16]) {
  const ms = await listLatency(
    new RedisStore({ clusterNodes: nodes, namespace: `bench-list-${buckets}`, buckets }),
  );
  console.log(`  cluster, buckets: ${String(buckets).padStart(2)}  ${ms.toFixed(3)} ms`);
}
await cluster?.stop();
