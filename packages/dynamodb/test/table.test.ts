// ensureTable: creates the table with its user index and TTL, idempotently, safely under races;
// concurrent first calls share one creation; a failure reaches every caller and is retried.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { isSessionError } from '@sessions/core';
import { freePort } from '@sessions/test-services';
import { afterAll, describe, expect, test } from 'vitest';
import { DynamoDBStore, TTL_ATTRIBUTE } from '../src/index.js';
import {
  countCommands,
  endpoint,
  randomKey,
  testClient,
  testClientConfig,
  watchUnhandledRejections,
} from './support.js';

describe.skipIf(!endpoint)('ensureTable', () => {
  const admin = testClient();
  const tables: string[] = [];
  const freshTable = () => {
    const name = `t_${randomKey()}`;
    tables.push(name);
    return name;
  };
  afterAll(async () => {
    for (const TableName of tables)
      await admin.send(new DeleteTableCommand({ TableName })).catch(() => {});
    admin.destroy();
  });

  async function expectReady(client: DynamoDBClient, tableName: string) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    const index = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'uid-index');
    expect(index?.IndexStatus).toBe('ACTIVE');
    expect(index?.KeySchema).toEqual([{ AttributeName: 'uid', KeyType: 'HASH' }]);
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TTL_ATTRIBUTE,
    });
  }

  test('creates the table, its user index and TTL, and is idempotent', async () => {
    const client = testClient();
    const counts = countCommands(client);
    const store = new DynamoDBStore({ client, tableName: freshTable() });
    await store.ensureTable();
    await expectReady(admin, store.tableName);
    await store.ensureTable();
    await new DynamoDBStore({ client, tableName: store.tableName }).ensureTable();
    expect(counts.get('CreateTableCommand')).toBe(1);
    expect(counts.get('UpdateTimeToLiveCommand')).toBe(1);
    await store.close();
    client.destroy();
  });

  test('a table created without the user index (or TTL) gets them', async () => {
    const tableName = freshTable();
    await admin.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const store = new DynamoDBStore({ client: admin, tableName });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000, userId: 'ada' });
    await expectReady(admin, tableName);
    expect((await store.listByUser('ada')).map((s) => s.key)).toEqual(['k']);
  });

  test('two processes (two clients) racing to create the same table both succeed', async () => {
    const tableName = freshTable();
    const clients = [testClient(), testClient()];
    const stores = clients.map((client) => new DynamoDBStore({ client, tableName }));
    await Promise.all(stores.map((store) => store.ensureTable()));
    await expectReady(admin, tableName);
    await Promise.all(
      stores.map((store, i) => store.set(`k${i}`, { data: { i }, expiresAt: Date.now() + 60_000 })),
    );
    expect((await stores[0]?.get('k1'))?.data).toEqual({ i: 1 });
    for (const client of clients) client.destroy();
  });

  test('2,000 first calls racing the creation share one CreateTable and all succeed', async () => {
    const unhandled = watchUnhandledRejections();
    // Generous bounds: this test is about sharing the creation, not about the emulator's throughput.
    const client = testClient({}, 60_000);
    const counts = countCommands(client);
    const store = new DynamoDBStore({ client, tableName: freshTable(), operationTimeout: 60_000 });
    const expiresAt = Date.now() + 60_000;
    const results = await Promise.allSettled(
      Array.from({ length: 2000 }, (_, i) => store.set(`k${i}`, { data: { i }, expiresAt })),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.slice(0, 3).map((r) => String(r.reason))).toEqual([]);
    expect(rejected.length).toBe(0);
    expect(counts.get('CreateTableCommand')).toBe(1);
    expect((await store.get('k1999'))?.data).toEqual({ i: 1999 });
    expect(unhandled.stop()).toEqual([]);
    client.destroy();
  }, 120_000);

  test('a failed creation reaches every waiter as UNAVAILABLE and is retried on the next call', async () => {
    const unhandled = watchUnhandledRejections();
    // Nothing listens on this port: every request is refused.
    const dead = testClient({ endpoint: `http://127.0.0.1:${await freePort()}`, maxAttempts: 1 });
    const counts = countCommands(dead);
    const store = new DynamoDBStore({ client: dead, tableName: freshTable() });
    const results = await Promise.allSettled(
      Array.from({ length: 2000 }, () => store.get(randomKey())),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(isSessionError(reason, 'UNAVAILABLE')).toBe(true);
      expect(reason.cause).toBeDefined();
    }
    // One shared attempt for the 2,000 calls...
    expect(counts.get('DescribeTableCommand')).toBe(1);
    await expect(store.get(randomKey())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // ...and a new one for the next call.
    expect(counts.get('DescribeTableCommand')).toBe(2);
    expect(unhandled.stop()).toEqual([]);
    dead.destroy();
  });

  test('a table that vanished (emulator restarted in memory) is recreated by the next call', async () => {
    const store = new DynamoDBStore({ clientConfig: testClientConfig(), tableName: freshTable() });
    await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
    await admin.send(new DeleteTableCommand({ TableName: store.tableName }));
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', { data: { n: 2 }, expiresAt: Date.now() + 60_000 });
    expect((await store.get('k'))?.data).toEqual({ n: 2 });
    await expectReady(admin, store.tableName);
    await store.close();
  });

  test('with createTable: false a missing table is UNAVAILABLE (with what to do) and nothing is created', async () => {
    const client = testClient();
    const counts = countCommands(client);
    const store = new DynamoDBStore({ client, tableName: freshTable(), createTable: false });
    const err = await store.get('k').catch((e: unknown) => e);
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/does not exist.*ensureTable/);
    expect(counts.get('CreateTableCommand')).toBeUndefined();
    expect(counts.get('DescribeTableCommand')).toBeUndefined();
    client.destroy();
  });
});
