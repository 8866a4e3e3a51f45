// The shared conformance suite against the MongoDB-wire test server (FerretDB in prune mode,
// or MONGODB_URL's server in the mode it supports).
import { describeStore } from '@sessions/conformance/vitest';
import { afterAll, describe } from 'vitest';
import type { SessionDocument } from '../src/index.js';
import {
  capabilitiesFor,
  mongoRaw,
  mongoUrl,
  serverInfo,
  storeFor,
  TEST_DB,
  testClient,
} from './support.js';

describe.skipIf(!mongoUrl)('mongodb', () => {
  const client = testClient();
  const collection = client.db(TEST_DB).collection<SessionDocument>('conformance');
  const mode = serverInfo?.expiryMode ?? 'prune';
  afterAll(() => client.close());

  describeStore({
    name: `mongodb (${serverInfo?.kind} ${serverInfo?.version}, ${mode})`,
    capabilities: capabilitiesFor(mode),
    create: (context) => storeFor(client, context, { collection: 'conformance' }),
    raw: (_store, { namespace }) => mongoRaw(collection, namespace, mode !== 'prune'),
  });
});
