/**
 * MongoDB wire protocol: FerretDB (or the MongoDB at `MONGODB_URL`) shared by every app
 * process, read raw through a `mongodb` client of its own. Storage is the namespace's
 * documents: with a TTL index the server's monitor removes expired ones about once a minute,
 * otherwise the soak's prunes do.
 */
import { documentId, MongoDBStore } from '@sessions/mongodb';
import {
  detectMongoServer,
  prepareFerretDb,
  startFerretDb,
} from '@sessions/test-services/ferretdb';
import { MongoClient } from 'mongodb';
import type { SoakBackend } from './types.js';

const DB = 'sessions_soak';
const COLLECTION = 'sessions';

/** The MongoDB-wire backend: three processes on one server. */
export const mongodbBackend: SoakBackend = {
  name: 'mongodb',
  processes: 3,
  unavailable: () => undefined,
  async deploy() {
    const fromEnv = process.env.MONGODB_URL;
    const url = fromEnv ?? (await startFerretDbOrThrow()).url;
    const stop = fromEnv ? async () => {} : () => server?.stop() ?? Promise.resolve();
    const { expiryMode } = await detectMongoServer(url);
    return { connection: { url, expiryMode }, stop };
  },
  async openRaw({ url = '' }, namespace) {
    const client = new MongoClient(url, { maxPoolSize: 1, maxIdleTimeMS: 0 });
    await client.connect();
    const sessions = client.db(DB).collection<{ _id: string; data: unknown }>(COLLECTION);
    await sessions.estimatedDocumentCount();
    return {
      async read(keys) {
        const docs = await sessions
          .find({ _id: { $in: keys.map((k) => documentId(namespace, k)) } })
          .toArray();
        const prefix = documentId(namespace, '');
        return new Map(docs.map((doc) => [doc._id.slice(prefix.length), JSON.stringify(doc.data)]));
      },
      async storage() {
        const prefix = documentId(namespace, '');
        const documents = await sessions.countDocuments({
          _id: { $gte: prefix, $lt: `${prefix}\uffff` },
        });
        return { documents };
      },
      close: () => client.close(),
    };
  },
  openStore: async ({ url = '', expiryMode }, namespace) =>
    new MongoDBStore({
      url,
      dbName: DB,
      expiryMode: expiryMode === 'ttl-index' ? 'ttl-index' : 'prune',
      namespace,
    }),
};

let server: Awaited<ReturnType<typeof startFerretDb>> | undefined;
async function startFerretDbOrThrow() {
  const found = await prepareFerretDb();
  if (found.problem !== undefined) throw new Error(`[@sessions/soak] ${found.problem}`);
  server = await startFerretDb();
  return server;
}
