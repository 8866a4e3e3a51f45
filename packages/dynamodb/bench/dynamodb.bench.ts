// DynamoDBStore against the raw requests it wraps, on the same DynamoDB Local (or
// DYNAMODB_ENDPOINT), same payload, same expiry attributes: GetItem, PutItem, UpdateItem and
// DeleteItem through one shared client.
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoLocal } from '@sessions/test-services/dynamodb';
import { boundedClientConfig, DynamoDBStore } from '../src/index.js';

const TableName = 'sessions';

/** The hand-written equivalent: the same item layout, no store around it. */
function rawTarget(client: DynamoDBClient, namespace: string): BenchTarget {
  const Key = (key: string) => ({ pk: { S: `${namespace}#${key}` } });
  return {
    async get(key) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName, Key: Key(key), ConsistentRead: true }),
      );
      const live = Item && Date.now() < Number(Item.exp?.N);
      return live ? jsonCodec.decode(Item.d?.S ?? '') : undefined;
    },
    async set(key, data, expiresAt) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...Key(key),
            d: { S: jsonCodec.encode(data) },
            exp: { N: String(expiresAt) },
            ttl: { N: String(Math.ceil(expiresAt / 1000)) },
            v: { N: '1' },
          },
        }),
      );
    },
    async touch(key, expiresAt) {
      await client.send(
        new UpdateItemCommand({
          TableName,
          Key: Key(key),
          UpdateExpression: 'SET #exp = :exp, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND #exp > :now',
          ExpressionAttributeNames: { '#exp': 'exp', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':exp': { N: String(expiresAt) },
            ':ttl': { N: String(Math.ceil(expiresAt / 1000)) },
            ':now': { N: String(Date.now()) },
          },
        }),
      );
      return true;
    },
    async delete(key) {
      await client.send(new DeleteItemCommand({ TableName, Key: Key(key) }));
      return true;
    },
  };
}

const fromEnv = process.env.DYNAMODB_ENDPOINT;
const server = fromEnv ? undefined : await startDynamoLocal();
const endpoint = fromEnv ?? server?.url;
// Generous timeouts: a benchmark measures speed; a busy machine must not turn it into errors.
const client = new DynamoDBClient(
  boundedClientConfig({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint }, 30_000),
);
const store = new DynamoDBStore({
  client,
  tableName: TableName,
  namespace: 'bench',
  operationTimeout: 30_000,
});
await store.ensureTable();

/**
 * Run every operation of both targets for a while first: the emulator is a JVM whose code
 * paths get compiled as they run, and whichever target went first would otherwise pay for it.
 */
async function warmUp(targets: BenchTarget[]): Promise<void> {
  const payload = { warm: 'x'.repeat(1000) };
  for (let round = 0; round < 5; round++) {
    for (const target of targets) {
      await Promise.all(
        Array.from({ length: 64 }, async (_, i) => {
          const key = `warm${i}`;
          const expiresAt = Date.now() + 60_000;
          await target.set(key, payload, expiresAt);
          await target.get(key);
          await target.touch(key, expiresAt + 1000);
          await target.delete(key);
        }),
      );
    }
  }
}

const subject = storeTarget(store);
const raw = rawTarget(client, 'raw');
await warmUp([subject, raw]);
try {
  await runStoreBench({
    title: fromEnv ? 'dynamodb' : 'dynamodb (DynamoDB Local)',
    subject,
    raw,
  });
} finally {
  await store.close();
  client.destroy();
  await server?.stop();
}
