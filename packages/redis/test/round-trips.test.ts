// get, set, touch and delete are one round trip each, and scripts run as EVALSHA (not EVAL with
// the whole script every time): counted by the server itself, on a server of our own, through
// each client library the store supports.
import type { RunningServer } from '@sessions/test-services';
import { redisInstalled, startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RedisStore } from '../src/index.js';
import { commandCounts, resetStats, watchServer } from './server-stats.js';
import { CLIENT_FLAVORS } from './support.js';

const inAnHour = () => Date.now() + 3_600_000;

describe.skipIf(!redisInstalled()).each(CLIENT_FLAVORS)(
  'round trips (dedicated redis-server), through $name',
  (flavor) => {
    let server: RunningServer;
    let helper: Redis;
    let store: RedisStore;
    let watch: Awaited<ReturnType<typeof watchServer>>;

    beforeAll(async () => {
      server = await startRedis();
      helper = new Redis(server.url);
      store = await flavor.open({ url: server.url }, { namespace: 'rt' });
      watch = await watchServer(server.url, helper);
      // Load every script once (the first call of each is EVALSHA, NOSCRIPT, then EVAL).
      await store.set('warm', { data: {}, expiresAt: inAnHour(), userId: 'u' });
      await store.touch('warm', inAnHour());
      await store.listByUser('u');
      await store.deleteByUser('u');
      await store.delete('warm');
    });

    afterAll(async () => {
      watch?.stop();
      await store?.close();
      helper?.disconnect();
      await server?.stop();
    });

    /** What one operation sent (commands from the client, not from scripts) and ran in total. */
    async function observe(operation: () => Promise<unknown>) {
      await watch.settle();
      await resetStats(helper);
      await operation();
      const sent = (await watch.settle())
        .filter((command) => !command.fromScript)
        .map((command) => command.name);
      return { sent, counts: await commandCounts(helper) };
    }

    test('get is one GET and nothing else', async () => {
      await store.set('k-get', { data: { a: 1 }, expiresAt: inAnHour() });
      const { sent, counts } = await observe(() => store.get('k-get'));
      expect(sent).toEqual(['get']);
      expect(counts).toEqual({ get: 1 });
    });

    test('set is one EVALSHA, with or without a user, also when the owner changes', async () => {
      for (const userId of [undefined, 'alice', 'bob']) {
        const { sent, counts } = await observe(() =>
          store.set('k-set', { data: { userId }, expiresAt: inAnHour(), userId }),
        );
        expect(sent).toEqual(['evalsha']);
        expect(counts.evalsha).toBe(1);
        expect(counts.eval).toBeUndefined();
      }
    });

    test('a compare-and-set (and its conflict) is one EVALSHA', async () => {
      const { version } = await store.set('k-cas', { data: {}, expiresAt: inAnHour() });
      let result = await observe(() =>
        store.set('k-cas', { data: { n: 2 }, expiresAt: inAnHour() }, { ifVersion: version }),
      );
      expect(result.sent).toEqual(['evalsha']);
      result = await observe(() =>
        store
          .set('k-cas', { data: {}, expiresAt: inAnHour() }, { ifVersion: version })
          .catch(() => 'conflict'),
      );
      expect(result.sent).toEqual(['evalsha']);
    });

    test('touch is one EVALSHA', async () => {
      await store.set('k-touch', { data: {}, expiresAt: inAnHour(), userId: 'carol' });
      const { sent, counts } = await observe(() => store.touch('k-touch', inAnHour() + 1000));
      expect(sent).toEqual(['evalsha']);
      expect(counts.evalsha).toBe(1);
    });

    test('delete is one EVALSHA', async () => {
      await store.set('k-del', { data: {}, expiresAt: inAnHour(), userId: 'dave' });
      const { sent, counts } = await observe(() => store.delete('k-del'));
      expect(sent).toEqual(['evalsha']);
      expect(counts.evalsha).toBe(1);
    });

    test('a set into the past (a delete with compare-and-set) and a touch into the past are one EVALSHA', async () => {
      const past = Date.now() - 1000;
      const { version } = await store.set('k-past', {
        data: {},
        expiresAt: inAnHour(),
        userId: 'p',
      });
      let code: unknown;
      let result = await observe(async () => {
        const wrong = { ifVersion: version + 1 };
        code = await store.set('k-past', { data: {}, expiresAt: past }, wrong).catch((e) => e.code);
      });
      expect(code).toBe('CONFLICT');
      expect(result.sent).toEqual(['evalsha']);
      expect(result.counts.del).toBeUndefined();
      result = await observe(() =>
        store.set('k-past', { data: {}, expiresAt: past }, { ifVersion: version }),
      );
      expect(result.sent).toEqual(['evalsha']);
      expect(result.counts.del).toBe(1);
      await store.set('k-past', { data: {}, expiresAt: inAnHour(), userId: 'p' });
      result = await observe(() => store.touch('k-past', past));
      expect(result.sent).toEqual(['evalsha']);
      expect(result.counts.del).toBe(1);
    });

    test('list() and clear() walk the namespace in SCAN pages, never KEYS', async () => {
      const paged = await flavor.open({ url: server.url }, { namespace: 'rt-paged' });
      try {
        const expiresAt = inAnHour();
        for (let i = 0; i < 2500; i += 100) {
          await Promise.all(
            Array.from({ length: 100 }, (_, j) => paged.set(`k${i + j}`, { data: {}, expiresAt })),
          );
        }
        let listed = 0;
        let { counts } = await observe(async () => {
          listed = (await paged.list()).length;
        });
        expect(listed).toBe(2500);
        // 1000 keys per page asked; the server's own `rt` keys are scanned too.
        expect(counts.scan).toBeGreaterThanOrEqual(3);
        expect(counts.keys).toBeUndefined();
        ({ counts } = await observe(() => paged.clear()));
        expect(counts.scan).toBeGreaterThanOrEqual(3);
        expect(counts.unlink).toBeGreaterThanOrEqual(16);
        expect(await paged.list()).toEqual([]);
      } finally {
        await paged.close();
      }
    });

    test('on a single server, listByUser and deleteByUser are one EVALSHA over every bucket', async () => {
      for (let i = 0; i < 20; i++)
        await store.set(`k-user-${i}`, { data: {}, expiresAt: inAnHour(), userId: 'erin' });
      const listed = await observe(() => store.listByUser('erin'));
      expect(listed.sent).toEqual(['evalsha']);
      const deleted = await observe(() => store.deleteByUser('erin'));
      expect(deleted.sent).toEqual(['evalsha']);
    });

    test('scripts are sent once: a hundred writes are a hundred EVALSHA and no EVAL', async () => {
      const { counts } = await observe(async () => {
        for (let i = 0; i < 100; i++)
          await store.set(`k-many-${i % 10}`, { data: { i }, expiresAt: inAnHour() });
      });
      expect(counts.evalsha).toBe(100);
      expect(counts.eval).toBeUndefined();
    });
  },
);
