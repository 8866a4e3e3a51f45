import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startDynamoLocal, DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { DynamoDBStore } from './src/index.js';
const server = await startDynamoLocal();
async function round(label: string, tableName: string, pre: boolean) {
  const store = new DynamoDBStore({ clientConfig: { ...DYNAMODB_LOCAL_CREDENTIALS, endpoint: server.url }, tableName });
  if (pre) await store.ensureTable();
  const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
  let maxWait = 0, ok = 0, fail = 0; const okW: number[] = [], failW: number[] = []; const reasons = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => { const s = performance.now(); return (i % 2 ? store.get(`k${i}`) : store.set(`k${i}`, { data: { i, pad: 'x'.repeat(900) }, expiresAt: Date.now() + 60000 })).then(() => { ok++; okW.push(performance.now() - s); }, (e) => { fail++; failW.push(performance.now() - s); reasons.set(e.message.slice(0, 80), (reasons.get(e.message.slice(0, 80)) ?? 0) + 1); }).finally(() => { maxWait = Math.max(maxWait, performance.now() - s); }); }));
  h.disable();
  console.log(label, { total: Math.round(performance.now() - t0), maxWait: Math.round(maxWait), ok, fail, loopMax: Math.round(h.max / 1e6), reasons: [...reasons], okMax: Math.round(Math.max(0, ...okW)), failMin: Math.round(Math.min(...failW)), failMax: Math.round(Math.max(...failW)) });
  await store.close();
}
await round('warmup', 'race1', true);
await round('warm table', 'race1', true);

await server.stop();
