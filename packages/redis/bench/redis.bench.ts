// RedisStore against raw ioredis doing the same work on the same server: GET / SET ... PXAT /
// PEXPIREAT / DEL of the same payload, with the same JSON encode and decode. Starts its own
// redis-server, or uses REDIS_URL.
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import { startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/index.js';

/** Raw ioredis commands, one per operation, on keys of their own. */
function rawTarget(client: Redis): BenchTarget {
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

const server = process.env.REDIS_URL ? undefined : await startRedis();
const url = process.env.REDIS_URL ?? (server?.url as string);
const client = new Redis(url);
const store = new RedisStore({ url, namespace: 'bench' });
try {
  await runStoreBench({ title: 'redis (standalone)', subject: storeTarget(store), raw: rawTarget(client) });
} finally {
  await store.clear();
  await store.close();
  await client.quit();
  await server?.stop();
}
