import { performance } from 'node:perf_hooks';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { DynamoDBStore, boundedClientConfig } from './src/index.js';
const server = await startDynamoLocal();
const client = new DynamoDBClient(boundedClientConfig({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint: server.url }, 30000));
const store = new DynamoDBStore({ client, operationTimeout: 30000, namespace: 'b' });
await store.ensureTable();
const d = JSON.stringify({ pad: 'x'.repeat(1000) });
const exp = () => Date.now() + 600000;
const variants: Record<string, (i: number) => Promise<unknown>> = {
  put: (i) => client.send(new PutItemCommand({ TableName: 'sessions', Item: { pk: { S: `r#k${i % 100}` }, d: { S: d }, exp: { N: String(exp()) }, ttl: { N: '1' }, v: { N: '1' } } })),
  updNew: (i) => client.send(new UpdateItemCommand({ TableName: 'sessions', Key: { pk: { S: `u#k${i % 100}` } }, UpdateExpression: 'SET #d = :d, #exp = :exp, #ttl = :ttl, #v = if_not_exists(#v, :z) + :o REMOVE #uid', ConditionExpression: 'attribute_not_exists(#pk) OR #exp > :now', ExpressionAttributeNames: { '#d': 'd', '#exp': 'exp', '#ttl': 'ttl', '#v': 'v', '#uid': 'uid', '#pk': 'pk' }, ExpressionAttributeValues: { ':d': { S: d }, ':exp': { N: String(exp()) }, ':ttl': { N: '1' }, ':z': { N: '0' }, ':o': { N: '1' }, ':now': { N: String(Date.now()) } }, ReturnValues: 'UPDATED_NEW' })),
  updNone: (i) => client.send(new UpdateItemCommand({ TableName: 'sessions', Key: { pk: { S: `n#k${i % 100}` } }, UpdateExpression: 'SET #d = :d, #exp = :exp, #ttl = :ttl, #v = if_not_exists(#v, :z) + :o REMOVE #uid', ConditionExpression: 'attribute_not_exists(#pk) OR #exp > :now', ExpressionAttributeNames: { '#d': 'd', '#exp': 'exp', '#ttl': 'ttl', '#v': 'v', '#uid': 'uid', '#pk': 'pk' }, ExpressionAttributeValues: { ':d': { S: d }, ':exp': { N: String(exp()) }, ':ttl': { N: '1' }, ':z': { N: '0' }, ':o': { N: '1' }, ':now': { N: String(Date.now()) } }, ReturnValues: 'NONE' })),
  storeSet: (i) => store.set(`k${i % 100}`, { data: { pad: 'x'.repeat(1000) }, expiresAt: exp() }),
  rawGet: (i) => client.send(new GetItemCommand({ TableName: 'sessions', Key: { pk: { S: `b#k${i % 100}` } }, ConsistentRead: true })),
  storeGet: (i) => store.get(`k${i % 100}`),
};
for (let round = 0; round < 3; round++) {
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(variants)) {
    const t = performance.now(); let n = 0; const c0 = process.cpuUsage();
    while (performance.now() - t < 1500) { await fn(n++); }
    const c = process.cpuUsage(c0);
    out[name] = Math.round((c.user + c.system) / n);
  }
  console.log(JSON.stringify(out));
}
await store.close(); client.destroy(); await server.stop();
