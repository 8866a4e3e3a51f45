// MongoDB checks against the test server (FerretDB 1.x, or MongoDB with MONGODB_URL). FerretDB
// has no TTL indexes, so there the TTL check's verdict is a warning pointing at the prune
// mode; on MongoDB the missing index fails and the store's own passes.
import { MongoDBStore, TTL_INDEX } from '@sessions/mongodb';
import { detectMongoServer } from '@sessions/test-services/ferretdb';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { judgeTtlIndex } from '../src/checks/mongodb.js';
import { runDoctor } from '../src/index.js';
import { result, unique } from './support.js';

const url = inject('mongoUrl');
const TTL_KEY = TTL_INDEX.key as Record<string, unknown>;

describe('the TTL index verdict, on indexes as listIndexes returns them', () => {
  const listed = (extra: object) => [
    { v: 2, key: { _id: 1 }, name: '_id_' },
    { v: 2, ...extra },
  ];

  test('expireAfterSeconds 0 on expiresAt passes; later warns; none fails', () => {
    const ttl = { key: { expiresAt: 1 }, name: 'expiresAt_1' };
    expect(
      judgeTtlIndex(listed({ ...ttl, expireAfterSeconds: 0 }), TTL_KEY, undefined).status,
    ).toBe('pass');
    expect(
      judgeTtlIndex(listed({ ...ttl, expireAfterSeconds: 60 }), TTL_KEY, undefined).status,
    ).toBe('warn');
    expect(judgeTtlIndex(listed(ttl), TTL_KEY, undefined).status).toBe('fail');
    expect(
      judgeTtlIndex(
        listed({ ...ttl, key: { expires: 1 }, expireAfterSeconds: 0 }),
        TTL_KEY,
        undefined,
      ).status,
    ).toBe('fail');
  });
});

describe.skipIf(!url)('mongodb', () => {
  const client = new MongoClient(url as string);
  let kind: 'ferretdb' | 'mongodb';
  const withCollection = (name: string) =>
    `${url}${(url as string).includes('?') ? '&' : '?'}collection=${name}`;

  beforeAll(async () => {
    kind = (await detectMongoServer(url as string)).kind;
    await client.connect();
  });
  afterAll(() => client.close());

  test('a collection as MongoDBStore makes it: indexes, clock and round trip', async () => {
    const collection = unique('doctor');
    // FerretDB refuses TTL indexes: the store runs there in prune mode, as its README says.
    const store = new MongoDBStore({
      url: url as string,
      namespace: 'app',
      collection,
      ...(kind === 'ferretdb' ? { expiryMode: 'prune' as const } : {}),
    });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
    await store.close();
    const report = await runDoctor({ store: withCollection(collection), namespace: 'app' });
    const ttl = result(report, 'mongodb.ttl-index');
    if (kind === 'ferretdb') {
      expect(ttl).toMatchObject({ status: 'warn', fix: expect.stringContaining("'prune'") });
    } else {
      expect(ttl.status).toBe('pass');
    }
    expect(result(report, 'mongodb.user-index').status).toBe('pass');
    expect(result(report, 'store.clock-skew').status).toBe('pass');
    expect(result(report, 'store.round-trip').status).not.toBe('fail');
  });

  test("a collection without the store's indexes fails the user index and the TTL index", async () => {
    const collection = unique('doctor');
    await client.db().collection(collection).insertOne({ hello: 'world' });
    const report = await runDoctor({ store: withCollection(collection) });
    expect(result(report, 'mongodb.user-index').status).toBe('fail');
    // No TTL index: a failure on MongoDB; on FerretDB, which cannot have one, a warning.
    expect(result(report, 'mongodb.ttl-index').status).toBe(kind === 'ferretdb' ? 'warn' : 'fail');
    expect(report.ok).toBe(false);
  });

  test('a missing collection fails and is not created', async () => {
    const collection = unique('doctor_missing');
    const report = await runDoctor({ store: withCollection(collection) });
    expect(result(report, 'mongodb.collection').status).toBe('fail');
    const names = await client.db().listCollections({ name: collection }).toArray();
    expect(names).toEqual([]);
  });

  test('a clock a minute off fails the skew check', async () => {
    const report = await runDoctor({ store: url, clock: () => Date.now() + 60_000 });
    expect(result(report, 'store.clock-skew').status).toBe('fail');
  });
});
