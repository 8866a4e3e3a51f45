import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedClientConfig, DynamoDBStore } from '@sessions/dynamodb';

// Bounded retries and timeouts. This talks to DynamoDB Local; on AWS, pass your region and
// leave endpoint and credentials to the default provider chain.
const client = new DynamoDBClient(
  boundedClientConfig({
    region: 'us-east-1',
    endpoint: process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);
const store = new DynamoDBStore({ client, tableName: 'sessions', namespace: 'quick-start' });

// Optional: the first operation would create the table (and its index and TTL) anyway.
await store.ensureTable();

const expiresAt = Date.now() + 30 * 60_000;
const { version } = await store.set('s1', { data: { cart: ['apple'] }, expiresAt, userId: 'ada' });
console.log(version); // 1

const session = await store.get('s1');
console.log(session?.data); // { cart: [ 'apple' ] }

// Compare-and-set: only if nobody wrote since we read (else a ConflictError, code CONFLICT).
const cart = ['apple', 'pear'];
await store.set('s1', { data: { cart }, expiresAt, userId: 'ada' }, { ifVersion: version });

console.log(await store.touch('s1', expiresAt + 60_000)); // true: expiry moved
console.log(await store.delete('s1')); // true: a live session was removed

await store.close();
client.destroy(); // the store never destroys a client it was given
