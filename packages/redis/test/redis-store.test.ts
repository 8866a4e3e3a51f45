// Redis-specific behaviour beyond the shared suite: options, the key layout, long and non-ASCII
// userIds (headers longer than the first probe), clock skew against Redis's own expiry, and
// foreign data under the namespace.
import { isSessionError } from '@sessions/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, test } from 'vitest';
import { NATIVE_GRACE_MS } from '../src/envelope.js';
import { KeyLayout, RedisStore, type RedisStoreOptions } from '../src/index.js';
import { CLUSTER_SLOTS, hashSlot } from '../src/layout.js';
import { CLIENT_FLAVORS } from './support.js';

const url = inject('redisUrl');

describe('options', () => {
  test('exactly one of client, url or clusterNodes', () => {
    expect(() => new RedisStore({} as RedisStoreOptions)).toThrow(
      /exactly one of client, url or clusterNodes/,
    );
    expect(
      () => new RedisStore({ url: 'redis://127.0.0.1:1', clusterNodes: ['127.0.0.1:2'] }),
    ).toThrow(/exactly one/);
    expect(() => new RedisStore({ clusterNodes: ['no-port'] })).toThrow(/host:port/);
    expect(() => new RedisStore({ clusterNodes: [] })).toThrow(/clusterNodes is empty/);
  });

  test('operationTimeout and buckets are checked before anything connects', () => {
    for (const operationTimeout of [0, -1, Number.NaN, 1.5, 2 ** 31]) {
      expect(() => new RedisStore({ url: 'redis://127.0.0.1:1', operationTimeout })).toThrow(
        /operationTimeout/,
      );
    }
    for (const buckets of [0, 1.5, 1025]) {
      expect(() => new RedisStore({ url: 'redis://127.0.0.1:1', buckets })).toThrow(/buckets/);
    }
  });

  test("a client with ioredis's keyPrefix is refused (the namespace is the prefix)", () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(() => new RedisStore({ client })).toThrow(/keyPrefix/);
    client.disconnect();
  });

  test('maxPayloadBytes defaults to 1 MiB and is capped by Redis (512 MiB)', async () => {
    const lazy = new Redis({ lazyConnect: true });
    expect(new RedisStore({ client: lazy }).maxPayloadBytes).toBe(1024 * 1024);
    expect(new RedisStore({ client: lazy, maxPayloadBytes: 2 ** 31 }).maxPayloadBytes).toBe(
      512 * 1024 * 1024,
    );
    lazy.disconnect();
  });
});

describe('key layout', () => {
  test("keys carry the namespace, bucket and salt as a hash tag; owns() tells 'shop' from 'shop:eu'", () => {
    const shop = new KeyLayout('shop', 16);
    const key = shop.sessionKey('abc');
    expect(key).toMatch(/^\{shop:(\d|1[0-5]):\d+\}:s:abc$/);
    expect(shop.owns(key)).toBe(shop.tagOf('abc'));
    expect(shop.owns(new KeyLayout('shop:eu', 16).sessionKey('abc'))).toBeUndefined();
    expect(shop.owns(new KeyLayout('shop:1', 16).sessionKey('abc'))).toBeUndefined();
    expect(shop.owns('{shop.x:1:0}:s:abc')).toBeUndefined();
    expect(shop.owns('{shop:1}:s:abc')).toBeUndefined();
    expect(shop.owns(`${shop.tags[3]}:u:alice`)).toBe(shop.tags[3]);
    // A store with other buckets wrote here too: its keys are the namespace's all the same.
    expect(shop.owns(`${new KeyLayout('shop', 1).tags[0]}:s:abc`)).toBe('{shop:0:0}');
  });

  test('the layout is frozen: these keys are in stores already', () => {
    expect(new KeyLayout('one', 1).sessionKey('x')).toBe('{one:0:0}:s:x');
    expect(new KeyLayout('shop', 16).tags.slice(0, 4)).toEqual([
      '{shop:0:0}',
      '{shop:1:3}',
      '{shop:2:63}',
      '{shop:3:60}',
    ]);
    expect(new KeyLayout('shop', 16).bucketOf('stable')).toBe(6);
  });

  test('buckets spread keys evenly', () => {
    const layout = new KeyLayout('spread', 16);
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++)
      counts[layout.bucketOf(`session-${i}`)] = (counts[layout.bucketOf(`session-${i}`)] ?? 0) + 1;
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  test("hashSlot is Redis Cluster's CRC16 mod 16384", () => {
    // The check value of CRC16-XMODEM, from the Redis Cluster specification.
    expect(hashSlot('123456789')).toBe(0x31c3);
    expect(hashSlot('')).toBe(0);
  });

  test.each([1, 2, 3, 16, 17, 64, 100, 1024])(
    'with %i buckets, each bucket has its own range of slots',
    (buckets) => {
      const ranges = Math.min(buckets, 64);
      for (const namespace of ['shop', 'a', 'x.y:z-1']) {
        const layout = new KeyLayout(namespace, buckets);
        layout.tags.forEach((tag, bucket) => {
          const slot = hashSlot(tag.slice(1, -1));
          expect(Math.floor((slot * ranges) / CLUSTER_SLOTS)).toBe(bucket % ranges);
        });
      }
    },
  );
});

describe.skipIf(!url).each(CLIENT_FLAVORS)('against redis-server, through $name', (flavor) => {
  const target = { url: url as string };
  const raw = new Redis(url as string);
  const stores: RedisStore[] = [];
  const open = async (options: Partial<RedisStoreOptions> = {}) => {
    const namespace = `rs-${stores.length}-${Date.now()}`;
    const store = await flavor.open(target, { namespace, ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await store.clear();
      await store.close();
    }
  });
  afterAll(() => raw.quit());

  test.each([
    ['a 256-character ASCII userId', 'u'.repeat(256)],
    ['a userId of 256 three-byte characters', '中'.repeat(256)],
    ['a userId of emoji (surrogate pairs)', '😀'.repeat(128)],
    ['a userId with spaces, colons and braces', 'user: {admin} x'],
  ])('%s works through every operation', async (_what, userId) => {
    const store = await open();
    const expiresAt = Date.now() + 60_000;
    await store.set('k1', { data: { n: 1 }, expiresAt, userId });
    await store.set('k2', { data: { n: 2 }, expiresAt, userId });
    expect(await store.get('k1')).toEqual({ data: { n: 1 }, expiresAt, userId, version: 1 });
    expect(await store.touch('k1', expiresAt + 1000)).toBe(true);
    expect(await store.set('k1', { data: { n: 3 }, expiresAt, userId }, { ifVersion: 1 })).toEqual({
      version: 2,
    });
    expect((await store.listByUser(userId)).map((s) => s.key).sort()).toEqual(['k1', 'k2']);
    expect(await store.delete('k2')).toBe(true);
    expect(await store.deleteByUser(userId)).toBe(1);
    expect(await store.listByUser(userId)).toEqual([]);
  });

  test("an application clock far behind Redis's: records live as long as the app says", async () => {
    let now = Date.now() - 3_600_000;
    const store = await open({ clock: () => now });
    await store.set('k', { data: {}, expiresAt: now + 60_000 });
    const pttl = await raw.pttl(store.layout.sessionKey('k'));
    expect(pttl).toBeGreaterThan(55_000);
    expect((await store.get('k'))?.expiresAt).toBe(now + 60_000);
    now += 60_000;
    expect(await store.get('k')).toBeUndefined();
  });

  test("an application clock far ahead of Redis's: nothing lingers longer than its life and the grace", async () => {
    const now = Date.now() + 3_600_000;
    const store = await open({ clock: () => now });
    await store.set('k', { data: {}, expiresAt: now + 500 });
    expect(await raw.pttl(store.layout.sessionKey('k'))).toBeLessThanOrEqual(500 + NATIVE_GRACE_MS);
  });

  test("a user's index expires with its longest-lived session", async () => {
    const store = await open();
    const start = Date.now();
    await store.set('short', { data: {}, expiresAt: start + 10_000, userId: 'ann' });
    await store.set('long', { data: {}, expiresAt: start + 50_000, userId: 'ann' });
    const index = store.layout.userIndexKey(store.layout.tagOf('long'), 'ann');
    expect(await raw.pttl(index)).toBeGreaterThan(40_000);
  });

  test('the stored text is laid out as documented; a write changes only what it must', async () => {
    const store = await open();
    const key = store.layout.sessionKey('k');
    const expiresAt = Date.now() + 60_000;
    const stamp = String(expiresAt).padStart(17, '0');
    await store.set('k', { data: { n: 0 }, expiresAt, userId: 'ann' });
    expect(await raw.get(key)).toBe(`${stamp}:0000000000000001:ann\n{"n":0}`);
    // Unconditional writes learn their version on the server, which patches its digits in
    // place: past 9, 99 and 999 the other digits and the data must come out right.
    for (let n = 2; n <= 1001; n++) {
      const { version } = await store.set('k', { data: { n }, expiresAt, userId: 'ann' });
      if (version !== n) expect(version).toBe(n);
    }
    expect(await raw.get(key)).toBe(`${stamp}:0000000000001001:ann\n{"n":1001}`);
    expect(await store.get('k')).toEqual({
      data: { n: 1001 },
      expiresAt,
      userId: 'ann',
      version: 1001,
    });
    // A conditional write knows its version before it is sent, and a smaller record is not
    // left with the tail of the larger one.
    await store.set('k', { data: {}, expiresAt }, { ifVersion: 1001 });
    expect(await raw.get(key)).toBe(`${stamp}:0000000000001002:\n{}`);
  });

  test('a string under a session key that is not ours: get is CORRUPT, set replaces it', async () => {
    const store = await open();
    const key = store.layout.sessionKey('foreign');
    // Plain text, a header of an earlier build (a version not 16 digits wide), all digits.
    for (const text of ['plain text', '1700000000000:3:ann\n{}', '0'.repeat(64)]) {
      await raw.set(key, text);
      const err = await store.get('foreign').catch((e: unknown) => e);
      expect(isSessionError(err, 'CORRUPT')).toBe(true);
      const expiresAt = Date.now() + 60_000;
      expect(await store.set('foreign', { data: { ok: 1 }, expiresAt })).toEqual({ version: 1 });
      expect(await store.get('foreign')).toEqual({ data: { ok: 1 }, expiresAt, version: 1 });
    }
  });

  test('a key of another Redis type under the namespace is CORRUPT, not UNAVAILABLE', async () => {
    const store = await open();
    await raw.lpush(store.layout.sessionKey('odd'), 'x');
    for (const operation of [
      () => store.get('odd'),
      () => store.set('odd', { data: {}, expiresAt: Date.now() + 1000 }),
      () => store.touch('odd', Date.now() + 1000),
      () => store.delete('odd'),
      // A write into the past reaches Redis as the delete script: still a script over a list.
      () => store.set('odd', { data: {}, expiresAt: Date.now() - 1000 }, { ifVersion: 1 }),
    ]) {
      const err = await operation().catch((e: unknown) => e);
      expect(isSessionError(err, 'CORRUPT'), String(err)).toBe(true);
    }
  });

  test('list() returns the live sessions of the namespace only', async () => {
    const store = await open();
    const other = await open();
    const expiresAt = Date.now() + 60_000;
    for (let i = 0; i < 30; i++)
      await store.set(`k${i}`, { data: { i }, expiresAt, userId: i % 2 ? 'odd' : undefined });
    await other.set('k0', { data: {}, expiresAt });
    const all = await store.list();
    expect(all.map((s) => s.key).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `k${i}`).sort(),
    );
    expect(all.find((s) => s.key === 'k1')?.record).toEqual({
      data: { i: 1 },
      expiresAt,
      userId: 'odd',
      version: 1,
    });
  });
});

describe.skipIf(!url)("a caller's ioredis client", () => {
  test("a caller's client is neither closed nor changed by the store", async () => {
    const client = new Redis(url as string);
    const store = new RedisStore({ client, namespace: `own-${Date.now()}` });
    await store.set('k', { data: {}, expiresAt: Date.now() + 1000 });
    expect(store.client).toBe(client);
    await store.clear();
    await store.close();
    expect(await client.ping()).toBe('PONG');
    expect(client.listenerCount('error')).toBe(0);
    await client.quit();
  });
});
