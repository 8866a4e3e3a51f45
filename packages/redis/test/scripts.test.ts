// The scripts survive losing them: after SCRIPT FLUSH and after a server restart, every
// operation works again on the same store, reloading each script once.
import type { RunningServer } from '@sessions/test-services';
import { redisInstalled, startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RedisStore } from '../src/index.js';
import { commandCounts, resetStats } from './server-stats.js';

const inAnHour = () => Date.now() + 3_600_000;

/** Every operation once, checking each result, as a user would after the incident. */
async function exerciseEverything(store: RedisStore, prefix: string): Promise<void> {
  const key = `${prefix}-a`;
  expect(await store.set(key, { data: { n: 1 }, expiresAt: inAnHour(), userId: 'u1' })).toEqual({
    version: 1,
  });
  expect((await store.get(key))?.data).toEqual({ n: 1 });
  expect(await store.touch(key, inAnHour() + 5000)).toBe(true);
  expect((await store.listByUser('u1')).map((s) => s.key)).toEqual([key]);
  await store.set(`${prefix}-b`, { data: {}, expiresAt: inAnHour(), userId: 'u1' });
  expect(await store.deleteByUser('u1', { except: key })).toBe(1);
  expect(await store.delete(key)).toBe(true);
  expect(await store.get(key)).toBeUndefined();
}

describe.skipIf(!redisInstalled())(
  'scripts after SCRIPT FLUSH and restarts (dedicated redis-server)',
  () => {
    let server: RunningServer;
    let helper: Redis;
    let store: RedisStore;

    beforeAll(async () => {
      server = await startRedis();
      helper = new Redis(server.url, { maxRetriesPerRequest: 1 });
      helper.on('error', () => {});
      store = new RedisStore({ url: server.url, namespace: 'scripts' });
      await exerciseEverything(store, 'first');
    });

    afterAll(async () => {
      await store?.close();
      helper?.disconnect();
      await server?.stop();
    });

    test('after SCRIPT FLUSH every operation works, each script reloaded once by EVAL', async () => {
      await helper.script('FLUSH');
      await resetStats(helper);
      await exerciseEverything(store, 'flushed');
      const counts = await commandCounts(helper);
      // set, touch, list, deleteByUser, delete: each NOSCRIPT once, then EVAL once.
      expect(counts.eval).toBe(5);
      await resetStats(helper);
      await exerciseEverything(store, 'again');
      expect((await commandCounts(helper)).eval).toBeUndefined();
    });

    test('a write reported as failed is not re-sent as EVAL when its NOSCRIPT reply comes late', async () => {
      // A caller's client with ioredis defaults (no commandTimeout): only the store's deadline
      // ends the wait, and the NOSCRIPT reply arrives after the caller was told UNAVAILABLE.
      const client = new Redis(server.url);
      client.on('error', () => {});
      const late = new RedisStore({ client, namespace: 'late', operationTimeout: 300 });
      try {
        await late.get('warm-up');
        await helper.script('FLUSH');
        process.kill(server.pid as number, 'SIGSTOP');
        let outcome: unknown;
        try {
          outcome = await late
            .set('k', { data: { late: true }, expiresAt: inAnHour() })
            .catch((err: unknown) => err);
        } finally {
          process.kill(server.pid as number, 'SIGCONT');
        }
        expect((outcome as { code?: string }).code).toBe('UNAVAILABLE');
        // Let the stalled EVALSHA (and any retry it would trigger) reach the server.
        await client.ping();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.ping();
        expect(await helper.get(late.layout.sessionKey('k'))).toBeNull();
      } finally {
        await late.close();
        client.disconnect();
      }
    });

    test('after the server is killed and restarted, the same store works again within a second', async () => {
      await server.kill('SIGKILL');
      await server.restart();
      const started = Date.now();
      // The client reconnects on its own (retry delays of at most 500 ms); poll until it has.
      for (;;) {
        try {
          await store.get('probe');
          break;
        } catch (err) {
          expect((err as { code?: string }).code).toBe('UNAVAILABLE');
          if (Date.now() - started > 1000) throw err;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      expect(Date.now() - started).toBeLessThanOrEqual(1000);
      // The restarted server knows no script: every one is reloaded on first use.
      await exerciseEverything(store, 'restarted');
    });
  },
);
