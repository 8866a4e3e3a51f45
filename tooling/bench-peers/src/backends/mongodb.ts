/**
 * MongoDB wire protocol (FerretDB started here, or MONGODB_URL): plain updateOne-upsert /
 * findOne / updateOne / deleteOne, our MongoDBStore, and connect-mongo; one collection each.
 */

import { MongoDBStore } from '@sessions/mongodb';
import type { RunningServer } from '@sessions/test-services';
import { detectMongoServer, startFerretDb } from '@sessions/test-services/ferretdb';
import MongoStore from 'connect-mongo';
import { type Collection, MongoClient } from 'mongodb';
import { type BackendSpec, orCleanup } from '../backend.js';
import { directTarget } from '../direct.js';
import { expressTarget, ourAdapterTargets } from '../frameworks.js';
import { expiryFromNow, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

interface RawSession {
  _id: string;
  session: string;
  expires: Date;
}

/** The simplest raw work: one document per session, JSON text and an expiry date. */
function rawTarget(collection: Collection<RawSession>): Target {
  return {
    async get(sid) {
      const doc = await collection.findOne({ _id: sid, expires: { $gt: new Date() } });
      return doc ? JSON.parse(doc.session) : undefined;
    },
    set: (sid) =>
      collection.updateOne(
        { _id: sid },
        { $set: { session: JSON.stringify(SESSION_DATA), expires: new Date(expiryFromNow()) } },
        { upsert: true },
      ),
    touch: (sid) =>
      collection.updateOne(
        { _id: sid, expires: { $gt: new Date() } },
        { $set: { expires: new Date(expiryFromNow()) } },
      ),
    delete: (sid) => collection.deleteOne({ _id: sid }),
  };
}

const DB = 'sessions_bench_peers';

/** The MongoDB-wire line-up. */
export const mongodb: BackendSpec = {
  name: 'mongodb',
  // FerretDB 1.x answers about 100 operations a second here: small collections, short setup.
  poolSize: 100,
  async open(poolSize) {
    const server: RunningServer | undefined = process.env.MONGODB_URL
      ? undefined
      : await startFerretDb();
    const url = process.env.MONGODB_URL ?? (server as RunningServer).url;
    const clients: MongoClient[] = [];
    const stores: MongoDBStore[] = [];
    const cleanup = async () => {
      for (const store of stores) await store.close().catch(() => undefined);
      for (const client of clients) await client.close().catch(() => undefined);
      await server?.stop();
    };
    return orCleanup(async () => {
      const { kind, version, expiryMode } = await detectMongoServer(url);
      const client = () => {
        const created = new MongoClient(url);
        clients.push(created);
        return created;
      };
      const setupClient = client();
      await setupClient.db(DB).dropDatabase();
      const raw = setupClient.db(DB).collection<RawSession>('raw');
      // Where the server has TTL indexes, the simplest way to have expired sessions removed.
      if (expiryMode === 'ttl-index') {
        await raw.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
      }
      const ours = (collection: string) => {
        const store = new MongoDBStore({
          client: client(),
          dbName: DB,
          collection,
          namespace: 'bench',
          expiryMode,
          // FerretDB on a busy machine can pause for seconds: a benchmark measures speed.
          operationTimeout: 60_000,
        });
        stores.push(store);
        return store;
      };
      const direct = ours('direct');
      const viaExpress = ours('express');
      const viaFastify = ours('fastify');
      for (const store of stores) await store.ensureIndexes();
      const peer = MongoStore.create({
        client: client(),
        dbName: DB,
        collectionName: 'connect_mongo',
        // FerretDB 1.x has no TTL indexes: connect-mongo's documented alternative there.
        autoRemove: expiryMode === 'ttl-index' ? 'native' : 'interval',
      });
      const contender = (name: string, target: Target) =>
        new TargetContender(name, target, poolSize);
      return {
        title: `MongoDB wire (${kind} ${version}, loopback)`,
        notes: [
          `Server CPU: the ${kind} process, from /proc. Expiry: ${expiryMode} (ours and raw), connect-mongo autoRemove ${expiryMode === 'ttl-index' ? 'native' : 'interval'}.`,
          kind === 'ferretdb'
            ? `${poolSize} sessions per system, 1 and 16 in flight: FerretDB 1.x serves about 100 operations/s, and a batch of 64 writes takes over a second.`
            : `${poolSize} sessions per system.`,
        ],
        inFlight: kind === 'ferretdb' ? [1, 16] : [1, 64],
        serverPids: server?.pid === undefined ? [] : [server.pid],
        contenders: [
          contender('raw: updateOne upsert/findOne/updateOne/deleteOne', rawTarget(raw)),
          contender('ours: MongoDBStore', directTarget(direct)),
          ...ourAdapterTargets(viaExpress, viaFastify).map(([name, target]) =>
            contender(name, target),
          ),
          contender('express: connect-mongo', expressTarget(peer)),
        ],
        async close() {
          await peer.close();
          await cleanup();
        },
      };
    }, cleanup);
  },
};
