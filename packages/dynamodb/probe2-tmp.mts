import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { DynamoDBStore } from './src/index.js';
const server = await startDynamoLocal();
const client = new DynamoDBClient({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint: server.url });
const store = new DynamoDBStore({ client, tableName: 'cpu' , operationTimeout: 60000});
await store.ensureTable();
for (const n of [200, 200]) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await store.set(`k${i}`, { data: { i, pad: 'x'.repeat(900) }, expiresAt: Date.now() + 60000 });
  const c = process.cpuUsage(c0);
  console.log('sequential set', n, 'wall/op', ((performance.now() - t0) / n).toFixed(2), 'cpu/op ms', ((c.user + c.system) / 1000 / n).toFixed(2));
}
for (const n of [200]) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await client.send(new GetItemCommand({ TableName: 'cpu', Key: { pk: { S: `sessions#k${i}` } } }));
  const c = process.cpuUsage(c0);
  console.log('sequential raw get', n, 'wall/op', ((performance.now() - t0) / n).toFixed(2), 'cpu/op ms', ((c.user + c.system) / 1000 / n).toFixed(2));
}
{
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => store.get(`k${i % 200}`)));
  const c = process.cpuUsage(c0);
  console.log('2000 parallel get', 'wall', Math.round(performance.now() - t0), 'cpu/op ms', ((c.user + c.system) / 1000 / 2000).toFixed(2));
}
await store.close(); client.destroy(); await server.stop();
