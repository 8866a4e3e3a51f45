/**
 * DynamoDB (DynamoDB Local started here, or DYNAMODB_ENDPOINT): plain PutItem / GetItem /
 * UpdateItem / DeleteItem, our DynamoDBStore, and connect-dynamodb; one table each, every
 * client with the same bounded settings.
 */
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { boundedClientConfig, DynamoDBStore } from '@sessions/dynamodb';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoLocal } from '@sessions/test-services/dynamodb';
import session from 'express-session';
import { type BackendSpec, orCleanup } from '../backend.js';
import { directTarget } from '../direct.js';
import { expressTarget, ourAdapterTargets } from '../frameworks.js';
import { expiryFromNow, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

const RAW_TABLE = 'raw';

/**
 * The simplest raw work: one item per session with the JSON and an expiry in epoch seconds
 * (DynamoDB's TTL attribute); reads are consistent, and a touch only updates an item that is
 * there (a plain UpdateItem would create one).
 */
function rawTarget(client: DynamoDBClient): Target {
  const Key = (sid: string) => ({ id: { S: sid } });
  const seconds = (ms: number) => String(Math.ceil(ms / 1000));
  return {
    async get(sid) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: RAW_TABLE, Key: Key(sid), ConsistentRead: true }),
      );
      const live = Item && Date.now() < Number(Item.expires?.N) * 1000;
      return live ? JSON.parse(Item.sess?.S ?? 'null') : undefined;
    },
    set: (sid) =>
      client.send(
        new PutItemCommand({
          TableName: RAW_TABLE,
          Item: {
            ...Key(sid),
            sess: { S: JSON.stringify(SESSION_DATA) },
            expires: { N: seconds(expiryFromNow()) },
          },
        }),
      ),
    touch: (sid) =>
      client.send(
        new UpdateItemCommand({
          TableName: RAW_TABLE,
          Key: Key(sid),
          UpdateExpression: 'SET expires = :e',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':e': { N: seconds(expiryFromNow()) } },
        }),
      ),
    delete: (sid) => client.send(new DeleteItemCommand({ TableName: RAW_TABLE, Key: Key(sid) })),
  };
}

type PeerStore = session.Store & { initialize(): Promise<void> };
const peerStoreFor = createRequire(import.meta.url)('connect-dynamodb') as (
  express: typeof session,
) => new (options: {
  client: DynamoDBClient;
  table: string;
}) => PeerStore;

/** The DynamoDB line-up. */
export const dynamodb: BackendSpec = {
  name: 'dynamodb',
  poolSize: 500,
  async open(poolSize) {
    const fromEnv = process.env.DYNAMODB_ENDPOINT;
    const server = fromEnv ? undefined : await startDynamoLocal();
    const endpoint = fromEnv ?? server?.url;
    const clients: DynamoDBClient[] = [];
    const stores: DynamoDBStore[] = [];
    const cleanup = async () => {
      for (const store of stores) await store.close().catch(() => undefined);
      for (const client of clients) client.destroy();
      await server?.stop();
    };
    return orCleanup(async () => {
      // Generous timeouts: a busy machine must not turn a benchmark into errors.
      const client = () => {
        const created = new DynamoDBClient(
          boundedClientConfig({ ...DYNAMODB_LOCAL_CREDENTIALS, endpoint }, 30_000),
        );
        clients.push(created);
        return created;
      };
      const rawClient = client();
      await rawClient.send(
        new CreateTableCommand({
          TableName: RAW_TABLE,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const ours = (tableName: string) => {
        const store = new DynamoDBStore({
          client: client(),
          tableName,
          namespace: 'bench',
          operationTimeout: 30_000,
        });
        stores.push(store);
        return store;
      };
      const direct = ours('ours-direct');
      const viaExpress = ours('ours-express');
      const viaFastify = ours('ours-fastify');
      for (const store of stores) await store.ensureTable();
      const PeerStore = peerStoreFor(session);
      const peer = new PeerStore({ client: client(), table: 'connect-dynamodb' });
      await peer.initialize();
      const contender = (name: string, target: Target) =>
        new TargetContender(name, target, poolSize);
      return {
        title: `DynamoDB (${fromEnv ? fromEnv : 'DynamoDB Local, loopback'})`,
        notes: [
          'Server CPU: the DynamoDB Local JVM, from /proc; it is an emulator, so client CPU is the figure that carries over to AWS.',
          "connect-dynamodb's touch does not check that the session exists (an UpdateItem creates it).",
        ],
        serverPids: server?.pid === undefined ? [] : [server.pid],
        contenders: [
          contender('raw: PutItem/GetItem/UpdateItem/DeleteItem', rawTarget(rawClient)),
          contender('ours: DynamoDBStore', directTarget(direct)),
          ...ourAdapterTargets(viaExpress, viaFastify).map(([name, target]) =>
            contender(name, target),
          ),
          contender('express: connect-dynamodb', expressTarget(peer)),
        ],
        close: cleanup,
      };
    }, cleanup);
  },
};
