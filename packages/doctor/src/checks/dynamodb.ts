/**
 * DynamoDB: the table is ACTIVE, TTL is enabled on the store's attribute (`TTL_ATTRIBUTE`), the
 * user index exists and is ACTIVE, clock skew (the response's `Date` header), and a round trip
 * through `DynamoDBStore` (with `createTable: false`: the doctor never repairs).
 */
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { load } from '../load.js';
import type { CheckResult } from '../types.js';
import { clockSkew } from './clock-skew.js';
import { describeError, fail, pass } from './result.js';
import { roundTripThrough } from './round-trip.js';
import type { StoreCheckContext } from './store-context.js';

/** Where DynamoDB is, and the table the app uses. */
export interface DynamoTarget {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly table: string | undefined;
  /** The user index's name (default the store's, `uid-index`). */
  readonly userIndexName?: string | undefined;
  /** Keys from the URL; else the SDK's default chain (environment, profile, role). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/** The user index exists and is ACTIVE. */
export function checkUserIndex(table: TableDescription, indexName: string): CheckResult {
  const id = 'dynamodb.user-index';
  const index = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  if (index === undefined) {
    return fail(
      id,
      `the table has no global secondary index "${indexName}": listing and revoking a user's sessions fail`,
      'add it as in tableDefinition() of @sessions/dynamodb (or let the store create the table)',
    );
  }
  if (index.IndexStatus !== 'ACTIVE') {
    return fail(
      id,
      `the index "${indexName}" is ${index.IndexStatus}: not usable yet`,
      'wait for it to become ACTIVE (a new index backfills first)',
    );
  }
  return pass(id, `the index "${indexName}" is ACTIVE`);
}

/** Every DynamoDB check. */
export async function dynamodbChecks(
  target: DynamoTarget,
  context: StoreCheckContext,
): Promise<CheckResult[]> {
  const sdk = await load('@aws-sdk/client-dynamodb', () => import('@aws-sdk/client-dynamodb'));
  const dynamodb = await load('@sessions/dynamodb', () => import('@sessions/dynamodb'));
  const tableName = target.table ?? dynamodb.DEFAULT_TABLE_NAME;
  const indexName = target.userIndexName ?? dynamodb.DEFAULT_USER_INDEX_NAME;
  const client: DynamoDBClient = new sdk.DynamoDBClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    maxAttempts: 1,
  });
  // The `Date` header of the last response: DynamoDB's clock, to the second.
  let serverDate: string | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const headers = (out.response as { headers?: Record<string, string> }).headers;
      serverDate = headers?.date ?? headers?.Date;
      return out;
    },
    { step: 'deserialize', name: 'sessionsDoctorDate' },
  );
  const signal = () => ({ abortSignal: AbortSignal.timeout(context.timeout) });
  try {
    let table: TableDescription | undefined;
    try {
      const out = await client.send(
        new sdk.DescribeTableCommand({ TableName: tableName }),
        signal(),
      );
      table = out.Table;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') {
        return [context.unreachable(describeError(error))];
      }
    }
    if (table === undefined) {
      return [
        fail(
          'dynamodb.table',
          `the table "${tableName}" does not exist`,
          'create it from tableDefinition() of @sessions/dynamodb, or let the store create it',
        ),
      ];
    }
    const results: CheckResult[] = [
      table.TableStatus === 'ACTIVE'
        ? pass('dynamodb.table', `the table "${tableName}" is ACTIVE`)
        : fail(
            'dynamodb.table',
            `the table "${tableName}" is ${table.TableStatus}`,
            'wait for ACTIVE',
          ),
    ];
    const ttl = await client.send(
      new sdk.DescribeTimeToLiveCommand({ TableName: tableName }),
      signal(),
    );
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED';
    const attribute = ttl.TimeToLiveDescription?.AttributeName;
    const on = status === 'ENABLED' || status === 'ENABLING';
    const ttlFix = `aws dynamodb update-time-to-live --table-name ${tableName} --time-to-live-specification Enabled=true,AttributeName=${dynamodb.TTL_ATTRIBUTE}`;
    if (on && attribute === dynamodb.TTL_ATTRIBUTE) {
      results.push(pass('dynamodb.ttl', `TTL is ${status} on "${attribute}"`));
    } else if (on) {
      results.push(
        fail(
          'dynamodb.ttl',
          `TTL is on "${attribute}", but the store writes its expiry to "${dynamodb.TTL_ATTRIBUTE}": expired sessions are never removed`,
          `disable TTL, then: ${ttlFix}`,
        ),
      );
    } else {
      results.push(
        fail(
          'dynamodb.ttl',
          `TTL is ${status}: expired sessions are never removed (storage and cost grow forever)`,
          ttlFix,
        ),
      );
    }
    results.push(checkUserIndex(table, indexName));
    results.push(
      await clockSkew(async () => {
        serverDate = undefined;
        await client.send(new sdk.DescribeTableCommand({ TableName: tableName }), signal());
        if (serverDate === undefined) throw new Error('no Date header in the response');
        // The header counts whole seconds: its middle is the best guess.
        return Date.parse(serverDate) + 500;
      }, context.clock),
    );
    results.push(
      await roundTripThrough(
        new dynamodb.DynamoDBStore({
          client,
          tableName,
          userIndexName: indexName,
          createTable: false,
          ...context.storeOptions,
        }),
        context.clock,
      ),
    );
    return results;
  } finally {
    client.destroy();
  }
}
