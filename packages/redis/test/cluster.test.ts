// Redis Cluster specifics, on a cluster of our own (so the server-side counters are ours):
// how a namespace spreads, that no operation crosses slots, and that clear() SCANs every master,
// through each client library the store supports.
import {
  type RunningRedisCluster,
  redisInstalled,
  startRedisCluster,
} from '@sessions/test-services/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RedisStore } from '../src/index.js';
import { hashSlot } from '../src/layout.js';
import { commandCounts, resetStats } from './server-stats.js';
import { CLIENT_FLAVORS, masters, namespaceKeys, rawClient, slotRanges } from './support.js';

const inAnHour = () => Date.now() + 3_600_000;

describe.skipIf(!redisInstalled()).each(CLIENT_FLAVORS)(
  'Redis Cluster (dedicated 3-master cluster), through $name',
  (flavor) => {
    let cluster: RunningRedisCluster;
    let raw: Cluster;
    let nodes: Redis[];
    const stores: RedisStore[] = [];
    const open = async (namespace: string, buckets?: number) => {
      const store = await flavor.open({ clusterNodes: cluster.addresses }, { namespace, buckets });
      stores.push(store);
      return store;
    };

    beforeAll(async () => {
      cluster = await startRedisCluster();
      raw = rawClient({ clusterNodes: cluster.addresses }) as Cluster;
      nodes = await masters(raw);
    });
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    });
    afterAll(async () => {
      await raw?.quit();
      await cluster?.stop();
    });

    const slotOf = async (key: string) => Number(await raw.cluster('KEYSLOT', key));
    const mastersHolding = async (keys: string[]) => {
      const holding = new Set<number>();
      for (const [i, node] of nodes.entries()) {
        for (const key of keys) if ((await node.exists(key).catch(() => 0)) === 1) holding.add(i);
      }
      return holding;
    };

    test('a namespace spreads over its 16 buckets, so over several masters', async () => {
      const store = await open('spread');
      for (let i = 0; i < 160; i++)
        await store.set(`key-${i}`, { data: { i }, expiresAt: inAnHour() });
      const keys = await namespaceKeys(raw, store.layout);
      expect(keys).toHaveLength(160);
      const slots = new Set(await Promise.all(keys.map(slotOf)));
      expect(slots.size).toBe(new Set(await Promise.all(store.layout.tags.map(slotOf))).size);
      expect(slots.size).toBeGreaterThan(8);
      expect((await mastersHolding(keys)).size).toBeGreaterThanOrEqual(2);
    });

    test('the 16 buckets load three masters evenly, and the store computes slots as Redis does', async () => {
      const store = await open('even');
      const ranges = await slotRanges(raw);
      const masterOf = (slot: number) =>
        ranges.find(({ low, high }) => slot >= low && slot <= high)?.port;
      const perMaster = new Map<number | undefined, number>();
      for (const tag of store.layout.tags) {
        const slot = await slotOf(tag);
        expect(hashSlot(tag.slice(1, -1))).toBe(slot);
        perMaster.set(masterOf(slot), (perMaster.get(masterOf(slot)) ?? 0) + 1);
      }
      // 16 over 3: 5/5/6, or 4/6/6 where a master's edge cuts a bucket's range. Left to the hash,
      // this namespace had 7 buckets on one master; others had up to 10.
      const counts = [...perMaster.values()];
      expect(counts).toHaveLength(3);
      expect(Math.max(...counts)).toBeLessThanOrEqual(6);
    });

    test('with buckets: 1 the namespace is one slot (everything on one master)', async () => {
      const store = await open('one-slot', 1);
      for (let i = 0; i < 20; i++)
        await store.set(`key-${i}`, { data: {}, expiresAt: inAnHour(), userId: `u${i % 3}` });
      const keys = await namespaceKeys(raw, store.layout);
      expect(keys).toHaveLength(23);
      expect(new Set(await Promise.all(keys.map(slotOf))).size).toBe(1);
    });

    test("a session and its entry in the user's index share a slot", async () => {
      const store = await open('same-slot');
      for (let i = 0; i < 16; i++) {
        const key = `key-${i}`;
        await store.set(key, { data: {}, expiresAt: inAnHour(), userId: 'alice' });
        const tag = store.layout.tagOf(key);
        expect(await slotOf(store.layout.sessionKey(key))).toBe(
          await slotOf(store.layout.userIndexKey(tag, 'alice')),
        );
        expect(await raw.zscore(store.layout.userIndexKey(tag, 'alice'), key)).not.toBeNull();
      }
    });

    test('every operation works across slots without CROSSSLOT, and the user index holds', async () => {
      const store = await open('ops');
      const alice = Array.from({ length: 48 }, (_, i) => `alice-${i}`);
      for (const key of alice)
        await store.set(key, { data: { key }, expiresAt: inAnHour(), userId: 'alice' });
      for (let i = 0; i < 10; i++)
        await store.set(`bob-${i}`, { data: {}, expiresAt: inAnHour(), userId: 'bob' });
      expect((await store.listByUser('alice')).map((s) => s.key).sort()).toEqual([...alice].sort());

      // Hand one session to bob, drop the owner of another, touch and delete a few.
      await store.set(
        'alice-0',
        { data: {}, expiresAt: inAnHour(), userId: 'bob' },
        { ifVersion: 1 },
      );
      await store.set('alice-1', { data: {}, expiresAt: inAnHour() });
      expect(await store.touch('alice-2', inAnHour() + 60_000)).toBe(true);
      expect(await store.delete('alice-3')).toBe(true);
      expect((await store.listByUser('alice')).length).toBe(45);
      expect((await store.listByUser('bob')).length).toBe(11);

      expect(await store.deleteByUser('alice', { except: 'alice-2' })).toBe(44);
      expect((await store.listByUser('alice')).map((s) => s.key)).toEqual(['alice-2']);
      expect((await store.get('alice-2'))?.userId).toBe('alice');
      expect((await store.listByUser('bob')).length).toBe(11);
      await store.clear();
      expect(await namespaceKeys(raw, store.layout)).toEqual([]);
    });

    test('get, set, touch and delete are one command each on the cluster too', async () => {
      const store = await open('round-trips');
      // Load each script on every master first (64 keys cover all 16 buckets).
      for (let i = 0; i < 64; i++) {
        await store.set(`warm-${i}`, { data: {}, expiresAt: inAnHour(), userId: 'w' });
        await store.touch(`warm-${i}`, inAnHour());
        await store.delete(`warm-${i}`);
      }
      const total = async () => {
        const sums: Record<string, number> = {};
        for (const node of nodes) {
          for (const [name, calls] of Object.entries(await commandCounts(node)))
            sums[name] = (sums[name] ?? 0) + calls;
        }
        return sums;
      };
      const observe = async (operation: () => Promise<unknown>) => {
        await Promise.all(nodes.map(resetStats));
        await operation();
        return total();
      };
      expect(
        (await observe(() => store.set('k', { data: {}, expiresAt: inAnHour(), userId: 'u' })))
          .evalsha,
      ).toBe(1);
      expect(await observe(() => store.get('k'))).toEqual({ get: 1 });
      const touched = await observe(() => store.touch('k', inAnHour() + 1000));
      expect([touched.evalsha, touched.eval]).toEqual([1, undefined]);
      const deleted = await observe(() => store.delete('k'));
      expect([deleted.evalsha, deleted.eval]).toEqual([1, undefined]);
    });

    test("list() and clear() SCAN every master (never KEYS) and see their namespace only, not 'shop:eu'", async () => {
      const shop = await open('shop');
      const shopEu = await open('shop:eu');
      for (let i = 0; i < 60; i++) {
        await shop.set(`k${i}`, { data: {}, expiresAt: inAnHour(), userId: `u${i % 5}` });
        await shopEu.set(`k${i}`, { data: {}, expiresAt: inAnHour(), userId: `u${i % 5}` });
      }
      expect(
        (await mastersHolding(await namespaceKeys(raw, shop.layout))).size,
      ).toBeGreaterThanOrEqual(2);
      // list() scans the same way (MGET per slot): every session of 'shop', none of 'shop:eu'.
      const listed = await shop.list();
      expect(listed.map((s) => s.key).sort()).toEqual(
        Array.from({ length: 60 }, (_, i) => `k${i}`).sort(),
      );
      await Promise.all(nodes.map(resetStats));
      await shop.clear();
      for (const node of nodes) {
        const counts = await commandCounts(node);
        expect(counts.scan).toBeGreaterThanOrEqual(1);
        expect(counts.keys).toBeUndefined();
      }
      expect(await namespaceKeys(raw, shop.layout)).toEqual([]);
      const left = await namespaceKeys(raw, shopEu.layout);
      expect(left.filter((key) => key.includes('}:s:'))).toHaveLength(60);
      expect((await shopEu.listByUser('u1')).length).toBe(12);
    });
  },
);
