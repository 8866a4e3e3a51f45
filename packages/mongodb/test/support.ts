/**
 * What the MongoDB tests share: a client on the test server, the expiry mode that server
 * supports, raw access to the documents, and a store factory for the conformance suite.
 */
import type { RawAccess, StoreCapabilities, StoreFactoryContext } from '@sessions/conformance';
import { detectMongoServer, type MongoServerInfo } from '@sessions/test-services/ferretdb';
import { BSON, type Collection, MongoClient, type MongoClientOptions } from 'mongodb';
import { inject } from 'vitest';
import { MongoDBStore, type MongoDBStoreOptions, type SessionDocument } from '../src/index.js';

/** The test server's URL, or undefined when no server could run here. */
export const mongoUrl = inject('mongoUrl');

/** What the test server is (FerretDB 1.x: prune mode; MongoDB: ttl-index mode). */
export const serverInfo: MongoServerInfo | undefined = mongoUrl
  ? await detectMongoServer(mongoUrl)
  : undefined;

/** The database every test uses; namespaces and collections keep tests apart. */
export const TEST_DB = 'sessions_test';

/** A client for tests: fails fast, notices a restarted server quickly. */
export function testClient(
  url = mongoUrl as string,
  options: MongoClientOptions = {},
): MongoClient {
  return new MongoClient(url, {
    serverSelectionTimeoutMS: 2000,
    heartbeatFrequencyMS: 500,
    ...options,
  });
}

/** The conformance capabilities of a store in `mode` on this server. */
export function capabilitiesFor(mode: 'ttl-index' | 'prune'): StoreCapabilities {
  // With a TTL index MongoDB deletes within about a minute; prune() stays available.
  return mode === 'prune' ? { nativeExpiry: 'none' } : { nativeExpiry: 'lagging', prune: true };
}

/**
 * Raw access to one namespace's documents, bypassing the store. The layout is spelled out
 * here on purpose (not imported), so the tests pin what the README documents.
 */
export function mongoRaw(
  collection: Collection<SessionDocument>,
  namespace: string,
  nativeExpiry: boolean,
): RawAccess {
  const id = (key: string) => `${namespace}/${key}`;
  const raw: RawAccess = {
    async read(key) {
      return (await collection.findOne({ _id: id(key) })) ?? undefined;
    },
    async writePayload(key, payload, expiresAt) {
      await collection.replaceOne(
        { _id: id(key) },
        { namespace, data: payload, expiresAt: new Date(expiresAt), version: 1 },
        { upsert: true },
      );
    },
    async dump() {
      return BSON.EJSON.stringify(await collection.find({ namespace }).toArray(), {
        relaxed: false,
      });
    },
  };
  if (nativeExpiry) {
    // With the TTL index, the document's expiresAt is what the server expires it by.
    raw.nativeExpiresAt = async (key) => {
      const doc = await collection.findOne({ _id: id(key) });
      return doc?.expiresAt instanceof Date ? doc.expiresAt.getTime() : undefined;
    };
  }
  return raw;
}

/**
 * The collection for a conformance check, from its namespace: one per check, shared by the
 * check's own derived namespaces (`<ns>_b`, `<ns>:x`), so the isolation checks still test the
 * namespace field within one collection. Why not one collection for the whole run: FerretDB
 * 1.x updates and deletes scan the whole collection, so every check would slow down with the
 * documents of all the checks before it.
 */
export function checkCollection(namespace: string): string {
  const base = /^(cf_[a-z0-9]+|mgr-[0-9a-f]+)/.exec(namespace)?.[1];
  return base ? `conformance_${base.replace('-', '_')}` : 'conformance';
}

/** A store on `client` for the suite's context, with test-friendly defaults. */
export function storeFor(
  client: MongoClient,
  context: StoreFactoryContext,
  options: Partial<MongoDBStoreOptions<unknown>> = {},
): MongoDBStore<unknown> {
  const { namespace, clock, codec } = context;
  return new MongoDBStore<unknown>({
    client,
    dbName: TEST_DB,
    namespace,
    clock,
    ...(codec ? { codec } : {}),
    expiryMode: serverInfo?.expiryMode ?? 'prune',
    // The suite calls prune() itself; a timer would race its checks.
    pruneInterval: 0,
    // The suite checks the contract, not latency: some checks keep 200 operations in flight,
    // and FerretDB's SQLite handler serves a few hundred per second on two shared cores, so
    // queues there outlast the 2 s default. The bound itself is tested in the failure tests.
    operationTimeout: 10_000,
    ...options,
  });
}
