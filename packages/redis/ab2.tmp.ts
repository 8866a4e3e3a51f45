import { runStoreBench, storeTarget, makePayload, type BenchTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import { startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { RedisStore } from './src/index.js';
import { interleavedRatios } from './bench/interleaved.js';
const server = await startRedis();
const raw = new Redis(server.url);
const rawT: BenchTarget = {
  async get(key) { const t = await raw.get(`r:${key}`); return t === null ? undefined : jsonCodec.decode(t); },
  set: (key, data, e) => raw.set(`r:${key}`, jsonCodec.encode(data), 'PXAT', e),
  touch: async () => true, delete: async () => true,
};
const a = new RedisStore({ url: server.url, namespace: 'a' });
const b = new RedisStore({ url: server.url, namespace: 'b', redisOptions: { commandTimeout: undefined } });
const payload = makePayload(1024);
for (const t of [storeTarget(a), storeTarget(b), rawT]) for (let i = 0; i < 1000; i++) await t.set(`k${i.toString(36).padStart(6, '0')}`, payload, Date.now() + 3600_000);
for (let r = 0; r < 2; r++) {
  console.log('store vs raw', await interleavedRatios(storeTarget(a), rawT, { ops: ['get'], rounds: 21 }));
  console.log('noCT vs raw', await interleavedRatios(storeTarget(b), rawT, { ops: ['get'], rounds: 21 }));
  console.log('noCT vs store', await interleavedRatios(storeTarget(b), storeTarget(a), { ops: ['get'], rounds: 21 }));
}
await a.close(); await b.close(); raw.disconnect(); await server.stop();
