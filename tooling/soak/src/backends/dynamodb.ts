/**
 * DynamoDB Local shared by every app process, read raw through a client of its own. DynamoDB
 * removes expired items by its TTL, days late, and the store has no prune: over an hour the
 * items of expired sessions pile up by design. So storage here is the namespace's items that
 * are still live by their `exp` attribute (what must plateau), with every item reported too.
 */
import { BatchGetItemCommand, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { ATTR, DynamoDBStore } from '@sessions/dynamodb';
import { which } from '@sessions/test-services';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoLocal } from '@sessions/test-services/dynamodb';
import type { SoakBackend } from './types.js';

const TABLE = 'sessions_soak';
const BATCH = 100;

/** The DynamoDB Local backend: three processes on one server. */
export const dynamodbBackend: SoakBackend = {
  name: 'dynamodb',
  processes: 3,
  unavailable: () =>
    process.env.DYNAMODB_ENDPOINT || which('java') ? undefined : 'Java is not installed',
  async deploy() {
    if (process.env.DYNAMODB_ENDPOINT) {
      return { connection: { endpoint: process.env.DYNAMODB_ENDPOINT }, stop: async () => {} };
    }
    const server = await startDynamoLocal();
    return { connection: { endpoint: server.url }, stop: () => server.stop() };
  },
  async openRaw({ endpoint = '' }, namespace) {
    const client = new DynamoDBClient({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint });
    const prefix = `${namespace}#`;
    return {
      async read(keys) {
        const found = new Map<string, string>();
        for (let i = 0; i < keys.length; i += BATCH) {
          const batch = keys.slice(i, i + BATCH);
          let request:
            | Record<
                string,
                { Keys: Array<Record<string, { S: string }>>; ConsistentRead: boolean }
              >
            | undefined = {
            [TABLE]: {
              Keys: batch.map((k) => ({ [ATTR.key]: { S: prefix + k } })),
              ConsistentRead: true,
            },
          };
          while (request && Object.keys(request).length > 0) {
            const out = await client.send(new BatchGetItemCommand({ RequestItems: request }));
            for (const item of out.Responses?.[TABLE] ?? []) {
              const pk = item[ATTR.key]?.S ?? '';
              found.set(pk.slice(prefix.length), item[ATTR.data]?.S ?? '');
            }
            request = out.UnprocessedKeys as typeof request;
          }
        }
        return found;
      },
      async storage() {
        const now = Date.now();
        let items = 0;
        let liveItems = 0;
        for await (const page of paginateScan(
          { client },
          {
            TableName: TABLE,
            ConsistentRead: true,
            FilterExpression: 'begins_with(#pk, :prefix)',
            ExpressionAttributeNames: { '#pk': ATTR.key },
            ExpressionAttributeValues: { ':prefix': { S: prefix } },
          },
        )) {
          for (const item of page.Items ?? []) {
            items++;
            if (Number(item[ATTR.expiresAt]?.N) > now) liveItems++;
          }
        }
        return { liveItems, items };
      },
      async close() {
        client.destroy();
      },
    };
  },
  openStore: async ({ endpoint = '' }, namespace) =>
    new DynamoDBStore({
      clientConfig: { ...DYNAMODB_LOCAL_CREDENTIALS, endpoint },
      tableName: TABLE,
      namespace,
    }),
};
