import { createServer } from 'node:net';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { DynamoDBStore } from './src/index.js';
const hung = createServer((s) => { s.resume(); });
await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
const port = (hung.address() as any).port;
const store = new DynamoDBStore({ clientConfig: { region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, createTable: false });
for (let round = 0; round < 3; round++) {
  const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
  const settles: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => store.set(`k${i}`, { data: { i, pad: 'x'.repeat(900) }, expiresAt: Date.now() + 60000 }).catch(() => settles.push(performance.now() - t0))));
  h.disable();
  settles.sort((a, b) => a - b);
  console.log({ first: Math.round(settles[0]), p50: Math.round(settles[1000]), last: Math.round(settles[1999]), loopMax: Math.round(h.max / 1e6) });
}
await store.close(); hung.close(); process.exit(0);
