/**
 * What the DynamoDB tests share: a client for the test endpoint, stores built on it, and raw
 * access to the table (bypassing the store) for the conformance suite and the specific tests.
 */
import { randomBytes } from 'node:crypto';
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { RawAccess } from '@sessions/conformance';
import { DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { inject } from 'vitest';
import { boundedClientConfig, DynamoDBStore, type DynamoDBStoreOptions } from '../src/index.js';

/** A fresh random key (also fine as a table name suffix). */
export function randomKey(): string {
  return randomBytes(12).toString('hex');
}

/** The endpoint the global setup provided (undefined when no emulator can run here). */
export const endpoint = inject('dynamodbEndpoint');

/** Client settings for the test endpoint. */
export function testClientConfig(overrides: DynamoDBClientConfig = {}): DynamoDBClientConfig {
  return { ...DYNAMODB_LOCAL_CREDENTIALS, endpoint, ...overrides };
}

/** A bounded client for the test endpoint (timeouts of `operationTimeout`); the caller destroys it. */
export function testClient(
  overrides: DynamoDBClientConfig = {},
  operationTimeout?: number,
): DynamoDBClient {
  return new DynamoDBClient(boundedClientConfig(testClientConfig(overrides), operationTimeout));
}

/** A store on the test endpoint with its own client (destroyed by `close()`). */
export function testStore<D = Record<string, unknown>>(
  options: DynamoDBStoreOptions<D> = {},
): DynamoDBStore<D> {
  return new DynamoDBStore<D>({ clientConfig: testClientConfig(), ...options });
}

/** Raw access to the items of `namespace` in `tableName`, through `client`. */
export function dynamoRaw(
  client: DynamoDBClient,
  namespace: string,
  tableName = 'sessions',
): RawAccess {
  const pk = (key: string) => ({ pk: { S: `${namespace}#${key}` } });
  const read = async (key: string) =>
    (
      await client.send(
        new GetItemCommand({ TableName: tableName, Key: pk(key), ConsistentRead: true }),
      )
    ).Item;
  return {
    read,
    async writePayload(key, payload, expiresAt) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...pk(key),
            d: { S: payload },
            exp: { N: String(expiresAt) },
            ttl: { N: String(Math.ceil(expiresAt / 1000)) },
            v: { N: '1' },
          },
        }),
      );
    },
    async nativeExpiresAt(key) {
      const ttl = (await read(key))?.ttl?.N;
      return ttl === undefined ? undefined : Number(ttl) * 1000;
    },
    async dump() {
      const items: unknown[] = [];
      let start: Record<string, never> | undefined;
      do {
        const out = await client.send(
          new ScanCommand({
            TableName: tableName,
            ConsistentRead: true,
            FilterExpression: 'begins_with(pk, :prefix)',
            ExpressionAttributeValues: { ':prefix': { S: `${namespace}#` } },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey as Record<string, never> | undefined;
      } while (start);
      return JSON.stringify(items);
    },
  };
}

/** Count the commands a client sends, by name (`GetItemCommand`...). */
export function countCommands(client: DynamoDBClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
}

/** Collect unhandled rejections until `stop()`, which returns them. */
export function watchUnhandledRejections(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return {
    stop() {
      process.off('unhandledRejection', listener);
      return seen;
    },
  };
}
