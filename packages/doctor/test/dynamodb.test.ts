// DynamoDB checks against DynamoDB Local: a table DynamoDBStore created passes; a table without
// TTL, with TTL on another attribute, or without the user index fails.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStore, TTL_ATTRIBUTE, tableDefinition } from '@sessions/dynamodb';
import { DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { runDoctor } from '../src/index.js';
import { result, unique } from './support.js';

const endpoint = inject('dynamodbEndpoint');

describe.skipIf(!endpoint)('dynamodb', () => {
  const client = new DynamoDBClient({ endpoint, ...DYNAMODB_LOCAL_CREDENTIALS });
  const tables: string[] = [];
  const { accessKeyId, secretAccessKey } = DYNAMODB_LOCAL_CREDENTIALS.credentials;
  const storeUrl = (table: string) =>
    `dynamodb://${accessKeyId}:${secretAccessKey}@${new URL(endpoint as string).host}?table=${table}`;

  /** A table as the store's tableDefinition() describes it, without TTL unless `ttlOn`. */
  async function bareTable(options: { ttlOn?: string; userIndex?: boolean } = {}) {
    const table = unique('doctor');
    tables.push(table);
    const input = tableDefinition(table);
    if (options.userIndex === false) {
      delete input.GlobalSecondaryIndexes;
      input.AttributeDefinitions = input.AttributeDefinitions?.slice(0, 1);
    }
    await client.send(new CreateTableCommand(input));
    if (options.ttlOn) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { AttributeName: options.ttlOn, Enabled: true },
        }),
      );
    }
    return table;
  }
  afterAll(async () => {
    for (const TableName of tables) await client.send(new DeleteTableCommand({ TableName }));
    client.destroy();
  });

  test('a table made by DynamoDBStore passes every check', async () => {
    const table = unique('doctor');
    tables.push(table);
    const store = new DynamoDBStore({
      tableName: table,
      namespace: 'app',
      clientConfig: { endpoint, ...DYNAMODB_LOCAL_CREDENTIALS },
    });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
    await store.close();
    const report = await runDoctor({ store: storeUrl(table), namespace: 'app' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['dynamodb.table', 'pass'],
      ['dynamodb.ttl', 'pass'],
      ['dynamodb.user-index', 'pass'],
      ['store.clock-skew', 'pass'],
      ['store.round-trip', expect.stringMatching(/pass|warn/)],
    ]);
  });

  test('a table without TTL fails dynamodb.ttl with the command that enables it', async () => {
    const table = await bareTable();
    const ttl = result(await runDoctor({ store: storeUrl(table) }), 'dynamodb.ttl');
    expect(ttl.status).toBe('fail');
    expect(ttl.fix).toContain(`AttributeName=${TTL_ATTRIBUTE}`);
  });

  test('TTL on another attribute fails dynamodb.ttl', async () => {
    const table = await bareTable({ ttlOn: 'expires' });
    const ttl = result(await runDoctor({ store: storeUrl(table) }), 'dynamodb.ttl');
    expect(ttl).toMatchObject({ status: 'fail', message: expect.stringContaining('"expires"') });
  });

  test('a table without the user index fails dynamodb.user-index', async () => {
    const table = await bareTable({ ttlOn: TTL_ATTRIBUTE, userIndex: false });
    const report = await runDoctor({ store: storeUrl(table) });
    expect(result(report, 'dynamodb.ttl').status).toBe('pass');
    expect(result(report, 'dynamodb.user-index').status).toBe('fail');
  });

  test('another access key sees no table (DynamoDB Local keeps tables per key)', async () => {
    const table = await bareTable({ ttlOn: TTL_ATTRIBUTE });
    const other = storeUrl(table).replace(`${accessKeyId}:`, 'someoneelse:');
    expect(result(await runDoctor({ store: other }), 'dynamodb.table').status).toBe('fail');
  });

  test('a missing table fails dynamodb.table', async () => {
    const report = await runDoctor({ store: storeUrl(unique('doctor_missing')) });
    expect(report.results).toEqual([
      expect.objectContaining({ id: 'dynamodb.table', status: 'fail' }),
    ]);
  });
});
