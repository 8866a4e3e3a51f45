// What is particular to a caller's node-redis client (majors 6 and 5): the store tells it from
// ioredis, never closes it nor adds listeners to it, refuses a key prefix, and a client that is
// not connected fails every operation with UNAVAILABLE instead of hanging or throwing raw.
import { isSessionError } from '@sessions/core';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { describe, expect, inject, test } from 'vitest';
import {
  type NodeRedisClient,
  type NodeRedisCluster,
  RedisStore,
  type RedisStoreClient,
} from '../src/index.js';

const url = inject('redisUrl');
const clusterNodes = inject('redisClusterNodes');
const inAMinute = () => Date.now() + 60_000;

/** A node-redis client as these tests use it (both majors' clients are assignable to it). */
type TestClient = (NodeRedisClient | NodeRedisCluster) & {
  readonly options?: object;
  readonly isReady?: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  eventNames(): Array<string | symbol>;
  listenerCount(event: string | symbol): number;
};

// Each major's own clients must type-check as a store's `client`: the two assignments are
// the test (of RedisStoreClient's structural node-redis types).
const majors = [
  {
    major: 6,
    createClient: (options?: object): TestClient => createClient6(options),
    createCluster: (options: { rootNodes: Array<{ url: string }> }): TestClient =>
      createCluster6(options),
  },
  {
    major: 5,
    createClient: (options?: object): TestClient => createClient5(options),
    createCluster: (options: { rootNodes: Array<{ url: string }> }): TestClient =>
      createCluster5(options),
  },
];

const ping = (client: RedisStoreClient) =>
  'nodeClient' in client
    ? client.sendCommand(undefined, true, ['PING'])
    : (client as { sendCommand(args: string[]): Promise<unknown> }).sendCommand(['PING']);

describe.each(majors)('node-redis $major', ({ createClient, createCluster }) => {
  test('a client with a keyPrefix is refused (the namespace is the prefix)', () => {
    // node-redis 6 prefixes keys with it; 5 keeps the option without using it, refused alike.
    expect(() => new RedisStore({ client: createClient({ keyPrefix: 'app:' }) })).toThrow(
      /keyPrefix/,
    );
    expect(() => new RedisStore({ client: createClient({}) })).not.toThrow();
  });

  test('a client or cluster never connected: every operation is UNAVAILABLE, with a cause', async () => {
    const rootNodes = [{ url: 'redis://127.0.0.1:1' }];
    for (const client of [createClient({ url }), createCluster({ rootNodes })]) {
      const store = new RedisStore({ client, namespace: 'never' });
      for (const work of [
        () => store.get('k'),
        () => store.set('k', { data: {}, expiresAt: inAMinute() }),
        () => store.touch('k', inAMinute()),
        () => store.delete('k'),
        () => store.listByUser('u'),
        () => store.clear(),
      ]) {
        const err = await work().catch((e: unknown) => e);
        expect(isSessionError(err, 'UNAVAILABLE'), String(err)).toBe(true);
        expect((err as Error).cause).toBeInstanceOf(Error);
      }
      await store.close();
    }
  });

  test.skipIf(!url)(
    "a caller's client is neither closed nor given listeners by the store",
    async () => {
      const client = createClient({ url });
      await client.connect();
      const listeners = client.eventNames().map((name) => client.listenerCount(name));
      const store = new RedisStore({ client, namespace: `own-nr-${Date.now()}` });
      expect(store.client).toBe(client);
      await store.set('k', { data: { a: 1 }, expiresAt: inAMinute(), userId: 'u' });
      expect((await store.get('k'))?.data).toEqual({ a: 1 });
      await store.clear();
      await store.close();
      expect(client.isReady).toBe(true);
      expect(await ping(client)).toBe('PONG');
      expect(client.eventNames().map((name) => client.listenerCount(name))).toEqual(listeners);
      client.destroy();
    },
  );

  test.skipIf(!clusterNodes)("a caller's cluster client is used and left open", async () => {
    const rootNodes = (clusterNodes ?? []).map((address) => ({ url: `redis://${address}` }));
    const cluster = createCluster({ rootNodes });
    await cluster.connect();
    try {
      const store = new RedisStore({ client: cluster, namespace: `own-nrc-${Date.now()}` });
      const expiresAt = inAMinute();
      for (let i = 0; i < 32; i++)
        await store.set(`k${i}`, { data: { i }, expiresAt, userId: 'u' });
      expect((await store.listByUser('u')).length).toBe(32);
      expect((await store.list()).length).toBe(32);
      await store.clear();
      expect(await store.list()).toEqual([]);
      await store.close();
      expect(cluster.isOpen).toBe(true);
      expect(await ping(cluster)).toBe('PONG');
    } finally {
      cluster.destroy();
    }
  });
});
