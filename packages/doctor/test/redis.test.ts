// Redis checks against the test server: each setting is changed with CONFIG SET to make its
// check fail, warn and pass, and put back afterwards.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runDoctor } from '../src/index.js';
import { result } from './support.js';

const url = inject('redisUrl');

describe.skipIf(!url)('redis', () => {
  let admin: Redis;
  const saved = new Map<string, string>();
  const set = (name: string, value: string) => admin.call('CONFIG', 'SET', name, value);

  beforeAll(async () => {
    admin = new Redis(url as string);
    for (const name of ['maxmemory-policy', 'appendonly', 'save']) {
      const [, value = ''] = (await admin.call('CONFIG', 'GET', name)) as string[];
      saved.set(name, value);
    }
  });
  afterAll(async () => {
    for (const [name, value] of saved) await set(name, value);
    admin.disconnect();
  });

  test('allkeys-* fails, volatile-* warns with the trade-off, noeviction passes', async () => {
    await set('maxmemory-policy', 'allkeys-lru');
    const evicting = result(await runDoctor({ store: url }), 'redis.maxmemory-policy');
    expect(evicting).toMatchObject({ status: 'fail', fix: expect.stringContaining('noeviction') });
    await set('maxmemory-policy', 'volatile-lru');
    const volatile = result(await runDoctor({ store: url }), 'redis.maxmemory-policy');
    expect(volatile.status).toBe('warn');
    expect(volatile.message).toContain('every session has one');
    await set('maxmemory-policy', 'noeviction');
    const report = await runDoctor({ store: url });
    expect(result(report, 'redis.maxmemory-policy').status).toBe('pass');
  });

  test('no persistence warns; AOF or RDB snapshots pass', async () => {
    await set('appendonly', 'no');
    await set('save', '');
    const none = result(await runDoctor({ store: url }), 'redis.persistence');
    expect(none).toMatchObject({ status: 'warn', fix: expect.stringContaining('appendonly yes') });
    await set('save', '3600 1');
    expect(result(await runDoctor({ store: url }), 'redis.persistence').message).toContain(
      'RDB snapshots',
    );
    await set('appendonly', 'yes');
    const aof = result(await runDoctor({ store: url }), 'redis.persistence');
    expect(aof).toMatchObject({ status: 'pass', message: expect.stringContaining('AOF') });
  });

  test('standalone: slot coverage passes, clock and round trip pass', async () => {
    await set('maxmemory-policy', 'noeviction');
    const report = await runDoctor({ store: url, namespace: 'doctor-test' });
    expect(result(report, 'redis.cluster-slots').message).toContain('standalone');
    expect(result(report, 'store.clock-skew').status).toBe('pass');
    expect(result(report, 'store.round-trip').status).not.toBe('fail');
    expect(await admin.dbsize()).toBe(0); // the round trip cleaned up after itself
  });

  test('a clock a minute off fails the skew check', async () => {
    const report = await runDoctor({ store: url, clock: () => Date.now() - 60_000 });
    expect(result(report, 'store.clock-skew')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('ahead by'),
    });
  });

  test('a server that is not there fails store.connect', async () => {
    const { port } = new URL(url as string);
    const report = await runDoctor({ store: 'redis://127.0.0.1:1', timeout: 500 });
    expect(port).not.toBe('1');
    expect(report.results).toEqual([
      expect.objectContaining({ id: 'store.connect', status: 'fail' }),
    ]);
  });
});
