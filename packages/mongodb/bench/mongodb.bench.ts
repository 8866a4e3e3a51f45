// MongoDBStore against the raw driver doing the same work on the same server and collection
// layout: findOne / updateOne (upsert) / updateOne ($set expiresAt) / deleteOne.
// Starts its own FerretDB unless MONGODB_URL is set.
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import type { RunningServer } from '@sessions/test-services';
import { detectMongoServer, startFerretDb } from '@sessions/test-services/ferretdb';
import { type Collection, MongoClient } from 'mongodb';
import { EXPIRY_INDEX, MongoDBStore, type SessionDocument, USER_INDEX } from '../src/index.js';

const NAMESPACE = 'bench';

/** What a careful hand-written app would send for each operation, with the same document. */
function rawTarget(collection: Collection<SessionDocument>): BenchTarget {
  const id = (key: string) => `${NAMESPACE}/${key}`;
  return {
    async get(key) {
      const doc = await collection.findOne({ _id: id(key), expiresAt: { $gt: new Date() } });
      return doc ? JSON.parse(doc.data) : undefined;
    },
    async set(key, data, expiresAt) {
      await collection.updateOne(
        { _id: id(key) },
        {
          $set: {
            namespace: NAMESPACE,
            data: JSON.stringify(data),
            expiresAt: new Date(expiresAt),
          },
          $unset: { userId: '' },
          $inc: { version: 1 },
        },
        { upsert: true },
      );
    },
    async touch(key, expiresAt) {
      const live = { _id: id(key), expiresAt: { $gt: new Date() } };
      return (
        (await collection.updateOne(live, { $set: { expiresAt: new Date(expiresAt) } }))
          .matchedCount === 1
      );
    },
    async delete(key) {
      const live = { _id: id(key), expiresAt: { $gt: new Date() } };
      return (await collection.deleteOne(live)).deletedCount === 1;
    },
  };
}

const server: RunningServer | undefined = process.env.MONGODB_URL
  ? undefined
  : await startFerretDb();
const url = process.env.MONGODB_URL ?? (server as RunningServer).url;
const client = new MongoClient(url);
try {
  const { kind, version, expiryMode } = await detectMongoServer(url);
  const db = client.db('sessions_bench');
  // Start from empty collections; on a first run there is nothing to drop, which is fine.
  await Promise.all(
    ['store', 'raw'].map((name) =>
      db
        .collection(name)
        .drop()
        .catch(() => false),
    ),
  );
  const store = new MongoDBStore({
    client,
    dbName: 'sessions_bench',
    collection: 'store',
    namespace: NAMESPACE,
    expiryMode,
    pruneInterval: 0,
    // Throughput, not failure handling, is measured here; the raw driver has no bound either,
    // and FerretDB on a busy machine can pause for seconds (a SQLite checkpoint).
    operationTimeout: 60_000,
  });
  await store.ensureIndexes();
  // The same secondary indexes on the raw collection: every write maintains them in both.
  const raw = db.collection<SessionDocument>('raw');
  for (const index of [USER_INDEX, EXPIRY_INDEX]) await raw.createIndexes([index]);
  await runStoreBench({
    title: `mongodb (${kind} ${version})`,
    subject: storeTarget(store),
    raw: rawTarget(raw),
    // FerretDB 1.x writes scan the collection: a batch of 64 writes takes about 1.5 s there, and
    // the benchmark runs at least 64 batches per row. 16 in flight keeps the run to minutes.
    inFlight: kind === 'ferretdb' ? [1, 16] : [1, 64],
  });
  await store.close();
} finally {
  await client.close();
  await server?.stop();
}
