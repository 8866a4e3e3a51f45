// The FerretDB write queue is on only where it is needed: detected from the server's buildInfo
// (FerretDB reports its own version there), or decided by `serializeWrites`. Only FerretDB runs
// here, so the MongoDB side is proven by the reply MongoDB sends and by `serializeWrites: false`.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FakeClock, randomToken } from '@sessions/conformance';
import type { CommandStartedEvent, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isFerretDb, processWriteQueue } from '../src/ferretdb.js';
import { MongoDBStore, type MongoDBStoreOptions } from '../src/index.js';
import { mongoUrl, serverInfo, TEST_DB, testClient } from './support.js';

test('buildInfo: FerretDB is recognised by its ferretdbVersion, MongoDB is not FerretDB', () => {
  // The fields a MongoDB 7.0 `buildInfo` reply carries (there is no ferretdbVersion among them).
  const mongodb = {
    version: '7.0.14',
    gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188',
    modules: [],
    allocator: 'tcmalloc',
    versionArray: [7, 0, 14, 0],
    bits: 64,
    maxBsonObjectSize: 16777216,
    ok: 1,
  };
  expect(isFerretDb(mongodb)).toBe(false);
  expect(isFerretDb({ ...mongodb, version: '7.0.42', ferretdbVersion: 'v1.24.2' })).toBe(true);
  expect(isFerretDb({ ...mongodb, ferretdbVersion: { major: 1 } })).toBe(false);
});

describe.skipIf(!mongoUrl)('the write queue on the test server', () => {
  let client: MongoClient;
  beforeAll(() => {
    client = testClient(mongoUrl, { monitorCommands: true });
  });
  afterAll(() => client?.close());

  const storeWith = (options: Partial<MongoDBStoreOptions<unknown>>) =>
    new MongoDBStore<unknown>({
      client,
      dbName: TEST_DB,
      collection: 'write_queue',
      namespace: `ns_${randomToken(8)}`,
      expiryMode: serverInfo?.expiryMode ?? 'prune',
      ...options,
    });

  /**
   * Write one session 10 times at once (or, with `distinct`, 10 sessions once each); resolves to
   * whether the writes went through the queue (seen while they run: the queue holds a document
   * only while it has writes) and how many `buildInfo` commands were sent.
   */
  async function burst(
    store: MongoDBStore<unknown>,
    distinct = false,
  ): Promise<{ queued: boolean; asked: number }> {
    let asked = 0;
    const count = (event: CommandStartedEvent) => {
      if (event.commandName === 'buildInfo') asked++;
    };
    client.on('commandStarted', count);
    let queued = false;
    let done = false;
    const writes = Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        store.set(distinct ? `k${n}` : 'k', { data: { n }, expiresAt: Date.now() + 60_000 }),
      ),
    ).finally(() => {
      done = true;
    });
    while (!done) {
      if (processWriteQueue.size > 0) queued = true;
      await nextTurn();
    }
    await writes;
    client.off('commandStarted', count);
    expect(processWriteQueue.size).toBe(0);
    return { queued, asked };
  }

  test("'auto' asks the server once, and queues writes on FerretDB only", async () => {
    const store = storeWith({ autoIndex: false });
    const first = await burst(store);
    expect(first).toEqual({ queued: serverInfo?.kind === 'ferretdb', asked: 1 });
    // Asked once, remembered: the next writes do not ask again.
    expect((await burst(store)).asked).toBe(0);
    await store.close();
  });

  test("'auto' with autoIndex asks while preparing, before the first write", async () => {
    const store = storeWith({});
    expect(await burst(store)).toEqual({ queued: serverInfo?.kind === 'ferretdb', asked: 1 });
    await store.close();
  });

  test('serializeWrites: false never queues (what a real MongoDB gets), and does not ask', async () => {
    const store = storeWith({ serializeWrites: false });
    // Ten sessions, not one ten times: unqueued upserts racing on one document are what FerretDB
    // gets wrong (two may both insert, and one fails on the duplicate _id).
    expect(await burst(store, true)).toEqual({ queued: false, asked: 0 });
    expect((await store.get('k3'))?.data).toEqual({ n: 3 });
    await store.close();
  });

  test('serializeWrites: true queues without asking', async () => {
    const store = storeWith({ serializeWrites: true });
    expect(await burst(store)).toEqual({ queued: true, asked: 0 });
    await store.close();
  });

  test('queued writes to many sessions go a few at a time, not all at once (SQLite busy waits)', async () => {
    const store = storeWith({ serializeWrites: true });
    await store.ensureIndexes();
    let running = 0;
    let most = 0;
    const writes = new Set(['findAndModify', 'update', 'delete']);
    const started = (event: CommandStartedEvent) => {
      if (!writes.has(event.commandName)) return;
      running++;
      most = Math.max(most, running);
    };
    const ended = (event: { commandName: string }) => {
      if (writes.has(event.commandName)) running--;
    };
    client.on('commandStarted', started);
    client.on('commandSucceeded', ended);
    client.on('commandFailed', ended);
    try {
      await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          store.set(`k${n}`, { data: { n }, expiresAt: Date.now() + 60_000 }),
        ),
      );
    } finally {
      client.off('commandStarted', started);
      client.off('commandSucceeded', ended);
      client.off('commandFailed', ended);
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    await store.close();
  });

  test('queued, prune and deleteByUser delete a page of at most 100 documents per operation', async () => {
    const clock = new FakeClock();
    const namespace = `ns_${randomToken(8)}`;
    const store = storeWith({ serializeWrites: true, clock: clock.now, namespace });
    const finds: number[] = [];
    const seen = (event: CommandStartedEvent) => {
      if (event.commandName === 'find') finds.push(Number(event.command.limit ?? Infinity));
    };
    const expiresAt = clock.now() + 60_000;
    await Promise.all(
      Array.from({ length: 230 }, (_, n) =>
        store.set(`k${n}`, { data: { n }, expiresAt, userId: n < 120 ? 'ada' : undefined }),
      ),
    );
    client.on('commandStarted', seen);
    try {
      // 120 of ada's: two pages; then, past their expiry, the other 110 go in two more.
      expect(await store.deleteByUser('ada')).toBe(120);
      expect(finds).toEqual([100, 100]);
      clock.set(expiresAt);
      finds.length = 0;
      expect(await store.prune()).toBe(110);
      expect(finds).toEqual([100, 100]);
    } finally {
      client.off('commandStarted', seen);
    }
    expect(await client.db(TEST_DB).collection('write_queue').countDocuments({ namespace })).toBe(
      0,
    );
    await store.close();
  });

  test('serializeWrites is checked with the other options', () => {
    expect(() => storeWith({ serializeWrites: 'yes' as never })).toThrow(/serializeWrites/);
  });
});
