// What only DynamoDB has: the item layout, the exact 400 KB arithmetic, conditional writes that
// never create phantoms, and the two-step set over an expired leftover.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { isSessionError, MAX_KEY_LENGTH, MAX_USER_ID_LENGTH } from '@sessions/core';
import { afterAll, describe, expect, test } from 'vitest';
import { DYNAMODB_ITEM_LIMIT, DynamoDBStore, numberSize } from '../src/index.js';
import { countCommands, dynamoRaw, endpoint, randomKey, testClient } from './support.js';

describe.skipIf(!endpoint)('dynamodb store', () => {
  const client = testClient();
  afterAll(() => client.destroy());
  const open = <D = Record<string, unknown>>(clock: () => number = Date.now) => {
    const namespace = `ns_${randomKey()}`;
    const store = new DynamoDBStore<D>({ client, namespace, clock });
    return { store, namespace, raw: dynamoRaw(client, namespace) };
  };
  /** PutItem an item with an `x`-filled `d` of `bytes`; resolves to whether DynamoDB took it. */
  const fits = async (item: Record<string, { S: string } | { N: string }>, bytes: number) =>
    client
      .send(
        new PutItemCommand({
          TableName: 'sessions',
          Item: { ...item, d: { S: 'x'.repeat(bytes) } },
        }),
      )
      .then(
        () => true,
        (err: Error) => {
          if (/size/i.test(err.message)) return false;
          throw err;
        },
      );

  test('one item per session: pk, d, exp (ms), ttl (s, rounded up), uid, v; uid removed with the userId', async () => {
    const { store, namespace, raw } = open();
    const expiresAt = Date.now() + 60_123;
    await store.set('k1', { data: { n: 1 }, expiresAt, userId: 'ada' });
    expect(await raw.read('k1')).toEqual({
      pk: { S: `${namespace}#k1` },
      d: { S: '{"n":1}' },
      exp: { N: String(expiresAt) },
      ttl: { N: String(Math.ceil(expiresAt / 1000)) },
      uid: { S: `${namespace}#ada` },
      v: { N: '1' },
    });
    await store.set('k1', { data: { n: 2 }, expiresAt });
    expect(await raw.read('k1')).not.toHaveProperty('uid');
    expect(await store.get('k1')).toEqual({ data: { n: 2 }, expiresAt, version: 2 });
  });

  test('numberSize matches what DynamoDB Local counts for a Number', async () => {
    for (const n of [
      1,
      100,
      1234,
      1_700_000_000_000,
      1_700_000_000_123,
      -5,
      Number.MAX_SAFE_INTEGER,
    ]) {
      // pk "a" (2 + 1 bytes), d (1 + filler), n (1 + numberSize): exactly 400 KB.
      const filler = DYNAMODB_ITEM_LIMIT - 3 - 1 - 1 - numberSize(n);
      const item = { pk: { S: 'a' }, n: { N: String(n) } };
      expect(await fits(item, filler), `${n} at the limit`).toBe(true);
      expect(await fits(item, filler + 1), `${n} one byte over`).toBe(false);
    }
  });

  test('maxPayloadBytes is exact: the largest possible item fits at it and not one byte over', async () => {
    const { store, namespace } = open();
    const big = Number.MAX_SAFE_INTEGER;
    const worst = {
      pk: { S: `${namespace}#${'k'.repeat(MAX_KEY_LENGTH)}` },
      uid: { S: `${namespace}#${'€'.repeat(MAX_USER_ID_LENGTH)}` },
      exp: { N: String(big) },
      ttl: { N: String(Math.ceil(big / 1000)) },
      v: { N: String(big) },
    };
    expect(await fits(worst, store.maxPayloadBytes)).toBe(true);
    expect(await fits(worst, store.maxPayloadBytes + 1)).toBe(false);
  });

  test('a payload at the limit is stored; one byte over is TOO_LARGE before any request', async () => {
    const counting = testClient();
    const counts = countCommands(counting);
    const store = new DynamoDBStore<string>({ client: counting, namespace: `ns_${randomKey()}` });
    const key = 'k'.repeat(MAX_KEY_LENGTH);
    const userId = '€'.repeat(MAX_USER_ID_LENGTH);
    const expiresAt = Date.now() + 60_000;
    // JSON adds the two quotes.
    const atLimit = 'y'.repeat(store.maxPayloadBytes - 2);
    await store.set(key, { data: atLimit, expiresAt, userId });
    expect((await store.get(key))?.data).toBe(atLimit);
    const sent = [...counts.values()].reduce((a, b) => a + b, 0);
    const err = await store
      .set(key, { data: `${atLimit}y`, expiresAt, userId })
      .catch((e: unknown) => e);
    expect(isSessionError(err, 'TOO_LARGE')).toBe(true);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(sent);
    counting.destroy();
  });

  test('touch never creates an item: not on a missing key, not on an expired one', async () => {
    let now = Date.now();
    const { store, raw } = open(() => now);
    expect(await store.touch('missing', now + 60_000)).toBe(false);
    expect(await raw.read('missing')).toBeUndefined();
    await store.set('old', { data: {}, expiresAt: now + 1000 });
    const stored = await raw.read('old');
    now += 1000;
    expect(await store.touch('old', now + 60_000)).toBe(false);
    expect(await raw.read('old')).toEqual(stored);
  });

  test('ttl is on the server’s timeline: with the app clock an hour behind, TTL cannot delete a live session', async () => {
    const behind = () => Date.now() - 3_600_000;
    const { store, raw } = open(behind);
    const expiresAt = behind() + 600_000;
    const ttlOf = async () => ((await raw.read('k')) as { ttl?: { N: string } } | undefined)?.ttl;
    const ttlLeft = async () => Number((await ttlOf())?.N) * 1000 - Date.now();
    await store.set('k', { data: {}, expiresAt, userId: 'u' });
    // Ten minutes left by the app clock: ten minutes ahead of the server's, not fifty behind it.
    expect(await ttlLeft()).toBeGreaterThan(590_000);
    expect(await ttlLeft()).toBeLessThanOrEqual(601_000);
    expect(await store.touch('k', expiresAt + 60_000)).toBe(true);
    expect(await ttlLeft()).toBeGreaterThan(650_000);
  });

  test('set is one UpdateItem on a new or live record, and restarts at version 1 over an expired leftover', async () => {
    let now = Date.now();
    const counting = testClient();
    const counts = countCommands(counting);
    const store = new DynamoDBStore({
      client: counting,
      namespace: `ns_${randomKey()}`,
      clock: () => now,
    });
    await store.ensureTable();
    counts.clear();
    expect(await store.set('k', { data: {}, expiresAt: now + 1000 })).toEqual({ version: 1 });
    expect(await store.set('k', { data: {}, expiresAt: now + 1000 })).toEqual({ version: 2 });
    expect(Object.fromEntries(counts)).toEqual({ UpdateItemCommand: 2 });
    now += 1000; // expired, still in the table (TTL is garbage collection only)
    expect(await store.set('k', { data: { again: true }, expiresAt: now + 1000 })).toEqual({
      version: 1,
    });
    expect(Object.fromEntries(counts)).toEqual({ UpdateItemCommand: 3, PutItemCommand: 1 });
    expect(await store.get('k')).toEqual({
      data: { again: true },
      expiresAt: now + 1000,
      version: 1,
    });
    counting.destroy();
  });

  test('get reads strongly consistent and filters expiry by the application clock', async () => {
    let now = Date.now();
    const counting = testClient();
    const inputs: unknown[] = [];
    counting.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetItemCommand') inputs.push(args.input);
        return next(args);
      },
      { step: 'initialize' },
    );
    const store = new DynamoDBStore({
      client: counting,
      namespace: `ns_${randomKey()}`,
      clock: () => now,
    });
    await store.set('k', { data: {}, expiresAt: now + 1000 });
    expect(await store.get('k')).toBeDefined();
    expect(inputs).toEqual([expect.objectContaining({ ConsistentRead: true })]);
    now += 1000;
    expect(await store.get('k')).toBeUndefined();
    counting.destroy();
  });
});

describe('options', () => {
  test('refuse what cannot work, before any I/O', () => {
    const client = testClient();
    expect(() => new DynamoDBStore({ client, clientConfig: {} })).toThrow(
      /at most one of client or clientConfig/,
    );
    expect(() => new DynamoDBStore({ client, createTable: 'yes' as never })).toThrow(
      /createTable must be one of true, false/,
    );
    expect(() => new DynamoDBStore({ client, tableName: 'ab' })).toThrow(/tableName/);
    expect(() => new DynamoDBStore({ client, userIndexName: 'bad name' })).toThrow(/userIndexName/);
    expect(() => new DynamoDBStore({ client, operationTimeout: 0 })).toThrow(/operationTimeout/);
    expect(() => new DynamoDBStore({ client, maxInFlight: 1.5 })).toThrow(/maxInFlight/);
    expect(() => new DynamoDBStore({ client, tableWaitTimeout: 0 })).toThrow(/tableWaitTimeout/);
    expect(() => new DynamoDBStore({ client, namespace: 'a#b' })).toThrow(/namespace/);
    client.destroy();
  });

  test('maxPayloadBytes is 400 KB minus the worst-case rest of the item, and can be lowered', () => {
    const client = testClient();
    expect(new DynamoDBStore({ client }).maxPayloadBytes).toBe(408_519);
    expect(new DynamoDBStore({ client, namespace: 'a'.repeat(64) }).maxPayloadBytes).toBe(
      408_519 - 2 * 56,
    );
    expect(new DynamoDBStore({ client, maxPayloadBytes: 4096 }).maxPayloadBytes).toBe(4096);
    expect(new DynamoDBStore({ client, maxPayloadBytes: 10_000_000 }).maxPayloadBytes).toBe(
      408_519,
    );
    client.destroy();
  });
});
