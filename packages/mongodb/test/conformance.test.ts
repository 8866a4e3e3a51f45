// The shared conformance suite against the MongoDB-wire test server (FerretDB in prune mode,
// or MONGODB_URL's server in the mode it supports).
import { describeStore } from '@sessions/conformance/vitest';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import type { SessionDocument } from '../src/index.js';
import {
  capabilitiesFor,
  checkCollection,
  mongoRaw,
  mongoUrl,
  serverInfo,
  storeFor,
  TEST_DB,
  testClient,
} from './support.js';

describe.skipIf(!mongoUrl)('mongodb', () => {
  // Created in beforeAll, not while collecting: without a server this block is skipped, and
  // collecting it must not touch a URL that does not exist.
  let client: MongoClient;
  beforeAll(() => {
    client = testClient();
  });
  const db = () => client.db(TEST_DB);
  const mode = serverInfo?.expiryMode ?? 'prune';
  const used = new Set<string>();
  const collectionOf = (namespace: string) => {
    const name = checkCollection(namespace);
    used.add(name);
    return name;
  };
  afterAll(async () => {
    for (const name of used) await db().collection(name).drop();
    await client?.close();
  });

  describeStore(
    {
      name: `mongodb (${serverInfo?.kind} ${serverInfo?.version}, ${mode})`,
      capabilities: capabilitiesFor(mode),
      create: (context) =>
        storeFor(client, context, { collection: collectionOf(context.namespace) }),
      raw: (_store, { namespace }) =>
        mongoRaw(
          db().collection<SessionDocument>(collectionOf(namespace)),
          namespace,
          mode !== 'prune',
        ),
    },
    // FerretDB's SQLite handler does a few hundred writes per second on two shared cores: 200
    // read-modify-write loops racing on one session there mostly read versions that are
    // already gone, and one can lose 200 races in a row. 50 keep the check meaningful.
    { manager: { inFlight: 50 } },
  );
});
