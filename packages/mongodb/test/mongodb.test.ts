// What is particular to MongoDB: the document layout, the indexes, the TTL-index refusal on
// servers without TTL indexes, and index creation shared by concurrent first calls.
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeClock, randomKey, randomToken } from '@sessions/conformance';
import { isSessionError, type SessionError } from '@sessions/core';
import { type CommandStartedEvent, type Db, type MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { processWriteQueue } from '../src/ferretdb.js';
import { MongoDBStore, type SessionDocument } from '../src/index.js';
import { mongoUrl, serverInfo, TEST_DB, testClient } from './support.js';

/** Collect the unhandled rejections raised while `fn` runs (and one macrotask after it). */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await fn();
    await sleep(50);
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe.skipIf(!mongoUrl)('mongodb specifics', () => {
  // Created in beforeAll: collecting a skipped block (no server) must not touch the client.
  let client: MongoClient;
  let db: Db;
  beforeAll(() => {
    client = testClient(mongoUrl, { monitorCommands: true });
    db = client.db(TEST_DB);
  });
  const mode = serverInfo?.expiryMode ?? 'prune';
  afterAll(() => client?.close());

  /** Count the commands named `name` that `fn` sends. */
  async function countCommands(name: string, fn: () => Promise<void>): Promise<number> {
    let count = 0;
    const listener = (event: CommandStartedEvent) => {
      if (event.commandName === name) count++;
    };
    client.on('commandStarted', listener);
    try {
      await fn();
    } finally {
      client.off('commandStarted', listener);
    }
    return count;
  }

  test('one document per session: _id "<namespace>/<key>", codec string, BSON Date, userId, version', async () => {
    const namespace = `ns_${randomToken(8)}`;
    const store = new MongoDBStore({
      client,
      dbName: TEST_DB,
      collection: 'layout',
      namespace,
      expiryMode: mode,
    });
    const collection = db.collection<SessionDocument>('layout');
    const expiresAt = Date.now() + 60_000;
    await store.set('abc', { data: { n: 1 }, expiresAt, userId: 'u1' });
    expect(await collection.findOne({ _id: `${namespace}/abc` })).toEqual({
      _id: `${namespace}/abc`,
      namespace,
      data: '{"n":1}',
      expiresAt: new Date(expiresAt),
      userId: 'u1',
      version: 1,
    });
    // Re-set without an owner: the userId field goes, the version moves on.
    await store.set('abc', { data: { n: 2 }, expiresAt });
    expect(await collection.findOne({ _id: `${namespace}/abc` })).toEqual({
      _id: `${namespace}/abc`,
      namespace,
      data: '{"n":2}',
      expiresAt: new Date(expiresAt),
      version: 2,
    });
    await store.close();
  });

  test('an unconditional set over an expired document is a creation: version 1 again', async () => {
    const clock = new FakeClock();
    const store = new MongoDBStore({
      client,
      dbName: TEST_DB,
      namespace: `ns_${randomToken(8)}`,
      clock: clock.now,
      expiryMode: mode,
    });
    const key = randomKey();
    const start = clock.now();
    await store.set(key, { data: { a: 1 }, expiresAt: start + 1_000 });
    expect(await store.set(key, { data: { a: 2 }, expiresAt: start + 1_000 })).toEqual({
      version: 2,
    });
    clock.set(start + 1_000);
    expect(await store.set(key, { data: { a: 3 }, expiresAt: start + 60_000 })).toEqual({
      version: 1,
    });
    expect(await store.get(key)).toEqual({ data: { a: 3 }, expiresAt: start + 60_000, version: 1 });
    await store.close();
  });

  test('the documented indexes exist after ensureIndexes()', async () => {
    const name = `idx_${randomToken(8)}`;
    const store = new MongoDBStore({ client, dbName: TEST_DB, collection: name, expiryMode: mode });
    await store.ensureIndexes();
    const indexes = await db.collection(name).listIndexes().toArray();
    const byName = new Map(indexes.map((index) => [index.name as string, index]));
    expect(byName.get('namespace_1_userId_1')?.key).toEqual({ namespace: 1, userId: 1 });
    expect(byName.get('namespace_1_expiresAt_1')?.key).toEqual({ namespace: 1, expiresAt: 1 });
    if (mode === 'prune') {
      expect(byName.has('expiresAt_1')).toBe(false);
    } else {
      expect(byName.get('expiresAt_1')).toMatchObject({
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
      });
    }
    await store.close();
  });

  test.each(['ttl-index', 'both'] as const)(
    "expiryMode '%s' on this server: a clear error naming expiryMode where TTL indexes are refused",
    async (expiryMode) => {
      const store = new MongoDBStore({
        client,
        dbName: TEST_DB,
        collection: `ttl_${randomToken(8)}`,
        expiryMode,
        pruneInterval: 0,
      });
      if (mode === 'ttl-index') {
        // A server with TTL indexes: nothing to refuse, the store just works.
        await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
        expect(await store.get('k')).toMatchObject({ version: 1 });
      } else {
        const error = (await store.get('k').catch((err: unknown) => err)) as SessionError;
        expect(isSessionError(error, 'UNAVAILABLE')).toBe(true);
        expect(error.message).toContain("expiryMode: 'prune'");
        expect(error.cause).toBeInstanceOf(MongoServerError);
        // Not cached forever: the next call asks the server again (and is refused again).
        const asked = await countCommands('createIndexes', async () => {
          await expect(
            store.set('k', { data: {}, expiresAt: Date.now() + 60_000 }),
          ).rejects.toThrow(/expiryMode/);
        });
        expect(asked).toBeGreaterThan(0);
      }
      await store.close();
    },
  );

  test('2,000 concurrent first calls share one index creation, with no unhandled rejection', async () => {
    const store = new MongoDBStore({
      client,
      dbName: TEST_DB,
      collection: `first_${randomToken(8)}`,
      expiryMode: mode,
      operationTimeout: 30_000,
    });
    let created = 0;
    const unhandled = await unhandledDuring(async () => {
      created = await countCommands('createIndexes', async () => {
        const results = await Promise.all(
          Array.from({ length: 2_000 }, () => store.get(randomKey())),
        );
        expect(results.every((r) => r === undefined)).toBe(true);
      });
    });
    expect(unhandled).toEqual([]);
    // One command per index, once: 2 indexes in prune mode, 3 with the TTL index.
    expect(created).toBe(mode === 'prune' ? 2 : 3);
    await store.close();
  });

  test('an index failure reaches every waiting caller as UNAVAILABLE, then is retried, not cached', async () => {
    const name = `broken_${randomToken(8)}`;
    // An index under our name with another key: the server refuses ours.
    await db.collection(name).createIndex({ userId: 1 }, { name: 'namespace_1_userId_1' });
    const store = new MongoDBStore({
      client,
      dbName: TEST_DB,
      collection: name,
      expiryMode: mode,
      operationTimeout: 30_000,
    });
    const unhandled = await unhandledDuring(async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 2_000 }, () => store.get(randomKey())),
      );
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason as SessionError;
        expect(isSessionError(reason, 'UNAVAILABLE')).toBe(true);
        expect(reason.message).toContain('namespace_1_userId_1');
        expect(reason.cause).toBeInstanceOf(MongoServerError);
      }
    });
    expect(unhandled).toEqual([]);
    await db.collection(name).dropIndex('namespace_1_userId_1');
    // The next call tries again and succeeds now that the conflict is gone.
    await store.set('k', { data: { ok: true }, expiresAt: Date.now() + 60_000 });
    expect((await store.get('k'))?.data).toEqual({ ok: true });
    await store.close();
  });

  test('compare-and-set is exact across two stores on two clients of one process', async () => {
    const other = testClient();
    const namespace = `ns_${randomToken(8)}`;
    const options = { dbName: TEST_DB, collection: 'race', namespace, expiryMode: mode } as const;
    const [a, b] = [
      new MongoDBStore({ client, ...options }),
      new MongoDBStore({ client: other, ...options }),
    ];
    const key = randomKey();
    const expiresAt = Date.now() + 60_000;
    await a.set(key, { data: { writer: -1 }, expiresAt });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, writer) =>
        (writer % 2 ? a : b).set(key, { data: { writer }, expiresAt }, { ifVersion: 1 }),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isSessionError(r.reason, 'CONFLICT')).toBe(true);
    }
    expect((await b.get(key))?.version).toBe(2);
    // Nothing stays queued once the writes have settled.
    expect(processWriteQueue.size).toBe(0);
    await Promise.all([a.close(), b.close()]);
    await other.close();
  });

  test("'prune' mode: the timer removes expired documents; close() stops it", async () => {
    const clock = new FakeClock();
    const namespace = `ns_${randomToken(8)}`;
    const collection = db.collection<SessionDocument>('pruned');
    const store = new MongoDBStore({
      client,
      dbName: TEST_DB,
      collection: 'pruned',
      namespace,
      clock: clock.now,
      expiryMode: 'prune',
      pruneInterval: 50,
    });
    const start = clock.now();
    await store.set('gone', { data: {}, expiresAt: start + 1_000 });
    await store.set('kept', { data: {}, expiresAt: start + 60_000 });
    clock.set(start + 1_000);
    await expect
      .poll(() => collection.findOne({ _id: `${namespace}/gone` }), { timeout: 5_000 })
      .toBeNull();
    expect(await collection.findOne({ _id: `${namespace}/kept` })).not.toBeNull();
    await store.close();
    const afterClose = await countCommands('delete', () => sleep(300));
    expect(afterClose).toBe(0);
  });
});
