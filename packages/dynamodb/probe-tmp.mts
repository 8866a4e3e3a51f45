import { DynamoDBClient, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
const t0 = Date.now();
const server = await startDynamoLocal();
console.log('started in', Date.now() - t0, server.url);
const client = new DynamoDBClient({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint: server.url });
await client.send(new CreateTableCommand({ TableName: 'tbl', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
async function fits(item: Record<string, any>) {
  try { await client.send(new PutItemCommand({ TableName: 'tbl', Item: item })); return true; } catch (e: any) { if (/size/i.test(e.message)) return false; throw e; }
}
async function maxD(extra: (n: number) => Record<string, any>) {
  let lo = 0, hi = 420000;
  while (lo < hi) { const mid = Math.ceil((lo + hi) / 2); if (await fits(extra(mid))) lo = mid; else hi = mid - 1; }
  return lo;
}
const base = await maxD((n) => ({ pk: { S: 'a' }, d: { S: 'x'.repeat(n) } }));
console.log('pk=a d: max', base, '=> total', base + 2 + 1 + 1);
for (const num of ['1', '12', '123', '1234', '1700000000000', '1700000000', '9007199254740991', '100', '1000000', '-5', '0.5', '12345678901234567890123456789012345678']) {
  const m = await maxD((n) => ({ pk: { S: 'a' }, d: { S: 'x'.repeat(n) }, v: { N: num } }));
  console.log('num', num, 'costs', base - m, '(name 1 byte)');
}
const u = await maxD((n) => ({ pk: { S: 'a' }, d: { S: 'x'.repeat(n) }, uid: { S: 'é'.repeat(10) } }));
console.log('uid é×10 costs', base - u);
const e = await maxD((n) => ({ pk: { S: 'a' }, d: { S: 'é'.repeat(Math.floor(n/2)) + (n % 2 ? 'x' : '') } }));
console.log('d with 2-byte chars max bytes', e);
client.destroy();
await server.stop();
