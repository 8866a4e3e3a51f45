import { jsonCodec, withDeadline } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { RedisStore } from './src/index.js';
import { parseEnvelope } from './src/envelope.js';

const server = await startRedis();
const client = new Redis(server.url);
const info = new Redis(server.url);
const store = new RedisStore({ url: server.url, namespace: 'ab' });
const payload = makePayload(1024);
const N = 1000;
const keys = Array.from({ length: N }, (_, i) => `k${i}`);
const exp = () => Date.now() + 3600_000;
for (const k of keys) { await store.set(k, { data: payload, expiresAt: exp() }); await client.set(`raw:${k}`, jsonCodec.encode(payload), 'PXAT', exp()); }
const text = jsonCodec.encode(payload);
const storeAP = new RedisStore({ url: server.url, namespace: 'ab', redisOptions: { commandTimeout: undefined } });
const plain = new Redis(server.url);
const variants: Record<string, (k: string) => Promise<unknown>> = {
  rawGet: async (k) => jsonCodec.decode((await client.get(`raw:${k}`))!),
  bareGet: async (k) => { const t = (await plain.get(store.layout.sessionKey(k)))!; const e = parseEnvelope(t, k, 'x'); return jsonCodec.decode(e.data); },
  storeGet: (k) => store.get(k),
  storeGetNoCT: (k) => storeAP.get(k),
  rawSet: (k) => client.set(`raw:${k}`, jsonCodec.encode(payload), 'PXAT', exp()),
  storeSet: (k) => store.set(k, { data: payload, expiresAt: exp() }),
  storeSetNoCT: (k) => storeAP.set(k, { data: payload, expiresAt: exp() }),
};
const cpuOf = async () => { const i = await info.info('cpu'); const u = /used_cpu_user:([\d.]+)/.exec(i)![1]; const s = /used_cpu_sys:([\d.]+)/.exec(i)![1]; return (Number(u)+Number(s))*1e6; };
const results: Record<string, { wall: number[]; cpu: number[]; srv: number[] }> = {};
for (let round = 0; round < 7; round++) {
  for (const [name, fn] of Object.entries(variants)) {
    const ops = 20000;
    const s0 = await cpuOf(); const c0 = process.cpuUsage(); const t0 = performance.now();
    let i = 0;
    const worker = async () => { while (i < ops) { const k = keys[i++ % N]!; await fn(k); } };
    await Promise.all(Array.from({ length: 64 }, worker));
    const t = performance.now() - t0; const c = process.cpuUsage(c0); const s = await cpuOf() - s0;
    (results[name] ??= { wall: [], cpu: [], srv: [] });
    results[name].wall.push(ops / t * 1000); results[name].cpu.push((c.user + c.system) / ops); results[name].srv.push(s / ops);
  }
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const [name, r] of Object.entries(results)) console.log(name.padEnd(18), 'ops/s', Math.round(med(r.wall)), ' client µs/op', med(r.cpu).toFixed(1), ' server µs/op', med(r.srv).toFixed(1));
await store.close(); await storeAP.close(); client.disconnect(); info.disconnect(); await server.stop();
