// Input that must never reach a query as an operator, and the options the constructor checks.
import { randomKey, randomToken } from '@sessions/conformance';
import { isSessionError } from '@sessions/core';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKEND_PAYLOAD_LIMIT, MongoDBStore } from '../src/index.js';
import { mongoUrl, serverInfo, TEST_DB, testClient } from './support.js';

const mode = serverInfo?.expiryMode ?? 'prune';

describe.skipIf(!mongoUrl)('operator injection', () => {
  // Clients are created in beforeAll: collecting a skipped block (no server) must not use them.
  let client: MongoClient;
  beforeAll(() => {
    client = testClient(mongoUrl, { monitorCommands: true });
  });
  afterAll(() => client?.close());
  const newStore = () =>
    new MongoDBStore({
      client,
      dbName: TEST_DB,
      namespace: `ns_${randomToken(8)}`,
      expiryMode: mode,
    });

  test('keys, userIds and except that are objects are rejected with INVALID_KEY before any I/O', async () => {
    const store = newStore();
    let commands = 0;
    const count = () => commands++;
    client.on('commandStarted', count);
    const bad: unknown[] = [{ $ne: '' }, { $gt: '' }, { $regex: '.*' }, ['a'], 'a$b', 'a b', ''];
    const later = Date.now() + 60_000;
    const calls: Array<() => Promise<unknown>> = [];
    for (const value of bad) {
      const key = value as string;
      calls.push(
        () => store.get(key),
        () => store.set(key, { data: {}, expiresAt: later }),
        () => store.touch(key, later),
        () => store.delete(key),
        () => store.deleteByUser('u1', { except: key }),
      );
    }
    for (const value of [{ $ne: '' }, { $in: ['a'] }, ['a'], '']) {
      const userId = value as string;
      calls.push(
        () => store.listByUser(userId),
        () => store.deleteByUser(userId),
        () => store.set(randomKey(), { data: {}, expiresAt: later, userId }),
      );
    }
    for (const call of calls) {
      const error = await call().catch((err: unknown) => err);
      expect(isSessionError(error, 'INVALID_KEY'), `got ${String(error)}`).toBe(true);
    }
    client.off('commandStarted', count);
    expect(commands).toBe(0);
    await store.close();
  });

  test('userIds made of operator characters are plain strings: each lists and deletes only its own', async () => {
    const store = newStore();
    const later = Date.now() + 60_000;
    const userIds = ['$ne', '$gt', '{"$ne":""}', 'a.b$c', '$where', 'victim'];
    const keys = new Map<string, string>();
    for (const userId of userIds) {
      const key = randomKey();
      keys.set(userId, key);
      await store.set(key, { data: { userId }, expiresAt: later, userId });
    }
    for (const userId of userIds) {
      const listed = await store.listByUser(userId);
      expect(listed.map((s) => s.key)).toEqual([keys.get(userId)]);
      expect(listed[0]?.record.userId).toBe(userId);
    }
    expect(await store.deleteByUser('$ne')).toBe(1);
    expect(await store.deleteByUser('$gt', { except: keys.get('victim') as string })).toBe(1);
    expect((await store.listByUser('victim')).length).toBe(1);
    expect(await store.listByUser('$ne')).toEqual([]);
    await store.close();
  });
});

describe.skipIf(!mongoUrl)('options', () => {
  let client: MongoClient;
  beforeAll(() => {
    client = testClient();
  });
  afterAll(() => client?.close());

  test('exactly one of client, db or url', () => {
    expect(() => new MongoDBStore({})).toThrow(/exactly one of client, db or url/);
    expect(() => new MongoDBStore({ client, url: mongoUrl })).toThrow(/exactly one/);
  });

  test('malformed options are refused by name', () => {
    expect(() => new MongoDBStore({ client, expiryMode: 'ttl' as never })).toThrow(/expiryMode/);
    expect(() => new MongoDBStore({ client, collection: 'a$b' })).toThrow(/collection/);
    expect(() => new MongoDBStore({ client, operationTimeout: 0 })).toThrow(/operationTimeout/);
    expect(() => new MongoDBStore({ client, pruneInterval: -1 })).toThrow(/pruneInterval/);
    // The driver's own refusal comes out as a TypeError of this package, the driver's as cause.
    expect(() => new MongoDBStore({ url: 'not-a-url' })).toThrow(
      /@sessions\/mongodb.*connection options/,
    );
  });

  test('maxPayloadBytes: 1 MiB by default, capped below the 16 MiB BSON limit', async () => {
    const byDefault = new MongoDBStore({ client });
    const huge = new MongoDBStore({ client, maxPayloadBytes: 64 * 1024 * 1024 });
    expect(byDefault.maxPayloadBytes).toBe(1024 * 1024);
    expect(huge.maxPayloadBytes).toBe(BACKEND_PAYLOAD_LIMIT);
    expect(BACKEND_PAYLOAD_LIMIT).toBeLessThan(16 * 1024 * 1024);
    await Promise.all([byDefault.close(), huge.close()]);
  });

  test('a store closes the client it created from a URL, and never a client it was given', async () => {
    const owned = new MongoDBStore({ url: mongoUrl as string, dbName: TEST_DB, expiryMode: mode });
    const given = new MongoDBStore({ client, dbName: TEST_DB, expiryMode: mode });
    const fromDb = new MongoDBStore({ db: client.db(TEST_DB), expiryMode: mode });
    const later = Date.now() + 60_000;
    for (const store of [owned, given, fromDb]) {
      await store.set('k', { data: { n: 1 }, expiresAt: later });
      expect((await store.get('k'))?.data).toEqual({ n: 1 });
      await store.close();
      await store.close();
      await expect(store.get('k')).rejects.toMatchObject({ code: 'CLOSED' });
    }
    // The given client still works after both stores using it closed.
    expect(await client.db(TEST_DB).command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});
