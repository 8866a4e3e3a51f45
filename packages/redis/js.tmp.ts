import { jsonCodec } from '@sessions/core';
import { makePayload } from '@sessions/bench';
import { RedisStore } from './src/index.js';
import { formatEnvelope, parseEnvelope } from './src/envelope.js';
const text = formatEnvelope({ expiresAt: Date.now() + 3600_000, version: 1, userId: undefined, data: jsonCodec.encode(makePayload(1024)) });
const fake = { status: 'ready', options: {}, get: (_k: string) => new Promise<string>((r) => setImmediate(() => r(text))), on() {} };
const store = new RedisStore({ client: fake as never, namespace: 'js' });
const N = 200000;
async function run(f: (k: string) => Promise<unknown>) {
  const c0 = process.cpuUsage(); let i = 0;
  await Promise.all(Array.from({ length: 64 }, async () => { while (i++ < N) await f(`k${i % 1000}`); }));
  const c = process.cpuUsage(c0); return (c.user + c.system) / N;
}
const res: Record<string, number[]> = {};
for (let r = 0; r < 15; r++) for (const [n, f] of Object.entries({
  bare: async (k: string) => jsonCodec.decode(parseEnvelope(await fake.get(k), k, 'x').data),
  store: (k: string) => store.get(k),
})) (res[n] ??= []).push(await run(f));
for (const [n, a] of Object.entries(res)) console.log(n.padEnd(10), a.sort((x, y) => x - y)[3]!.toFixed(2), 'µs cpu/op');
