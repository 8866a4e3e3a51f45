/**
 * Redis: a standalone test server shared by every app process, read raw through a plain
 * ioredis client. Storage is the namespace's keys (SCAN) and the server's `used_memory`.
 */
import { DEFAULT_BUCKETS, KeyLayout, RedisStore } from '@sessions/redis';
import { redisInstalled, startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import type { SoakBackend } from './types.js';

/** The Redis backend: three processes on one server. */
export const redisBackend: SoakBackend = {
  name: 'redis',
  processes: 3,
  unavailable: () =>
    process.env.REDIS_URL || redisInstalled() ? undefined : 'redis-server is not installed',
  async deploy() {
    if (process.env.REDIS_URL)
      return { connection: { url: process.env.REDIS_URL }, stop: async () => {} };
    const server = await startRedis();
    return { connection: { url: server.url }, stop: () => server.stop() };
  },
  async openRaw({ url = '' }, namespace) {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    const layout = new KeyLayout(namespace, DEFAULT_BUCKETS);
    // Connected before the worker counts its handles: this socket is the probe's, not the store's.
    await client.ping();
    return {
      async read(keys) {
        const found = new Map<string, string>();
        if (keys.length === 0) return found;
        // One MGET: a standalone server takes keys of any hash tag together.
        const values = await client.mget(keys.map((key) => layout.sessionKey(key)));
        keys.forEach((key, i) => {
          const value = values[i];
          if (value !== null && value !== undefined) found.set(key, value);
        });
        return found;
      },
      async storage() {
        let keys = 0;
        let cursor = '0';
        do {
          const [next, batch] = await client.scan(
            cursor,
            'MATCH',
            layout.scanPattern,
            'COUNT',
            1000,
          );
          cursor = next;
          keys += batch.filter((key) => layout.owns(key) !== undefined).length;
        } while (cursor !== '0');
        const info = await client.info('memory');
        const usedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
        return { keys, usedMemory };
      },
      async close() {
        await client.quit();
      },
    };
  },
  openStore: async ({ url = '' }, namespace) => new RedisStore({ url, namespace }),
};
