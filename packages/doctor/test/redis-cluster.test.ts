// Slot coverage against a real Redis Cluster: a slot taken away fails the check, given back
// passes; the round trip runs through a Cluster client.

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runDoctor } from '../src/index.js';
import type {} from './global-setup.js';
import { result } from './support.js';

const nodes = inject('redisClusterNodes');

describe.skipIf(!nodes)('redis cluster', () => {
  const url = `redis://${nodes?.[0]}`;
  let owner: Redis;

  beforeAll(async () => {
    // The node serving slot 0, which will lose it and get it back.
    const seed = new Redis(url);
    const ranges = (await seed.call('CLUSTER', 'SLOTS')) as Array<
      [number, number, [string, number]]
    >;
    const [, , [host, port]] = ranges.find(([start]) => start === 0) ?? [0, 0, ['', 0]];
    seed.disconnect();
    owner = new Redis({ host, port });
  });
  afterAll(() => owner.disconnect());

  test('every slot served passes, and the round trip goes through the cluster', async () => {
    const report = await runDoctor({ store: url, namespace: 'doctor-cluster' });
    expect(result(report, 'redis.cluster-slots')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('all 16384 slots'),
    });
    expect(result(report, 'store.round-trip').status).not.toBe('fail');
  });

  test('a slot no node serves fails', async () => {
    await owner.call('CLUSTER', 'DELSLOTS', '0');
    try {
      const report = await runDoctor({ store: url, namespace: 'doctor-cluster', timeout: 2000 });
      expect(result(report, 'redis.cluster-slots')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('16383 of 16384'),
      });
    } finally {
      await owner.call('CLUSTER', 'ADDSLOTS', '0');
    }
  });
});
