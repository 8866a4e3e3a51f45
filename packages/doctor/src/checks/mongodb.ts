/**
 * MongoDB (and MongoDB-wire servers): the TTL index on `expiresAt` and the user index the store
 * creates (`TTL_INDEX`, `USER_INDEX` of @sessions/mongodb), clock skew (`hello.localTime`) and a
 * round trip through `MongoDBStore` (with `autoIndex: false`: the doctor never repairs).
 */
import type { Collection, Db, Document } from 'mongodb';
import { load } from '../load.js';
import type { CheckResult } from '../types.js';
import { clockSkew } from './clock-skew.js';
import { describeError, fail, pass, warn } from './result.js';
import { roundTripThrough } from './round-trip.js';
import type { StoreCheckContext } from './store-context.js';

/** Whether `index` has exactly the keys of `wanted`, in order. */
function sameKeys(index: Document, wanted: Record<string, unknown>): boolean {
  return JSON.stringify(index.key) === JSON.stringify(wanted);
}

/** FerretDB's version when the server is FerretDB (it has no TTL indexes in 1.x). */
async function ferretDbVersion(db: Db): Promise<string | undefined> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
}

/**
 * `mongodb.ttl-index` from the collection's indexes as `listIndexes` returns them: a TTL index
 * on `expiresAt` expiring at once passes; a late one warns; none fails, or warns on FerretDB,
 * which has no TTL indexes (the store's `expiryMode: 'prune'` is the answer there).
 */
export function judgeTtlIndex(
  indexes: Document[],
  ttlKey: Record<string, unknown>,
  ferretDb: string | undefined,
): CheckResult {
  const id = 'mongodb.ttl-index';
  const ttl = indexes.find((index) => sameKeys(index, ttlKey));
  if (ttl?.expireAfterSeconds === 0) {
    return pass(id, 'a TTL index on expiresAt removes expired sessions');
  }
  if (ttl && typeof ttl.expireAfterSeconds === 'number') {
    return warn(
      id,
      `the TTL index on expiresAt has expireAfterSeconds ${ttl.expireAfterSeconds}: expired sessions stay stored that much longer`,
      'recreate it with expireAfterSeconds: 0 (expiresAt is already the expiry)',
    );
  }
  if (ferretDb !== undefined) {
    return warn(
      id,
      `no TTL index on expiresAt, and FerretDB ${ferretDb} has no TTL indexes`,
      "run MongoDBStore with expiryMode: 'prune' (a periodic prune removes expired sessions)",
    );
  }
  return fail(
    id,
    'no TTL index on expiresAt: unless the app runs expiryMode prune, expired sessions are never removed',
    "let MongoDBStore create it (expiryMode 'ttl-index', autoIndex true) or createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 })",
  );
}

/** The TTL index (on `expiresAt`, expiring at once) and the user index. */
export async function checkIndexes(
  collection: Collection,
  ttlKey: Record<string, unknown>,
  userKey: Record<string, unknown>,
  ferretDb: string | undefined,
): Promise<CheckResult[]> {
  let indexes: Document[];
  try {
    indexes = await collection.listIndexes().toArray();
  } catch (error) {
    if ((error as { code?: number }).code !== 26) throw error; // 26: NamespaceNotFound
    return [
      fail(
        'mongodb.collection',
        `the collection "${collection.collectionName}" does not exist in "${collection.dbName}"`,
        'check the database in the URL and ?collection=; MongoDBStore creates it on first write',
      ),
    ];
  }
  const results = [judgeTtlIndex(indexes, ttlKey, ferretDb)];
  results.push(
    indexes.some((index) => sameKeys(index, userKey))
      ? pass('mongodb.user-index', 'the user index serves "log out everywhere"')
      : fail(
          'mongodb.user-index',
          "no index on { namespace, userId }: listing or revoking a user's sessions scans the collection",
          'let MongoDBStore create it (autoIndex true) or createIndex({ namespace: 1, userId: 1 })',
        ),
  );
  return results;
}

/** Every MongoDB check, on a client made from `url`. */
export async function mongodbChecks(
  url: string,
  collectionName: string | undefined,
  context: StoreCheckContext,
): Promise<CheckResult[]> {
  const { MongoClient } = await load('mongodb', () => import('mongodb'));
  const { DEFAULT_COLLECTION, MongoDBStore, TTL_INDEX, USER_INDEX } = await load(
    '@sessions/mongodb',
    () => import('@sessions/mongodb'),
  );
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: context.timeout,
    connectTimeoutMS: context.timeout,
  });
  try {
    try {
      await client.connect();
    } catch (error) {
      return [context.unreachable(describeError(error))];
    }
    const db = client.db();
    const name = collectionName ?? DEFAULT_COLLECTION;
    const results = await checkIndexes(
      db.collection(name),
      TTL_INDEX.key as Record<string, unknown>,
      USER_INDEX.key as Record<string, unknown>,
      await ferretDbVersion(db),
    );
    const exists = !results.some((r) => r.id === 'mongodb.collection');
    results.push(
      await clockSkew(async () => {
        const hello = await db.admin().command({ hello: 1 });
        if (!(hello.localTime instanceof Date)) throw new Error('hello has no localTime');
        return hello.localTime.getTime();
      }, context.clock),
    );
    // A write would create the missing collection: the doctor looks, it never repairs.
    if (!exists) return results;
    results.push(
      await roundTripThrough(
        new MongoDBStore({
          client,
          collection: name,
          autoIndex: false,
          ...context.storeOptions,
        }),
        context.clock,
      ),
    );
    return results;
  } finally {
    await client.close();
  }
}
