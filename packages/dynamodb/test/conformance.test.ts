// The shared conformance suite against DynamoDB Local (or DYNAMODB_ENDPOINT).
import { describeStore } from '@sessions/conformance/vitest';
import { afterAll, describe } from 'vitest';
import { DynamoDBStore } from '../src/index.js';
import { dynamoRaw, endpoint, testClient } from './support.js';

describe.skipIf(!endpoint)('dynamodb', () => {
  // One client for every store the suite builds; the stores never destroy a client they were given.
  const client = testClient();
  afterAll(() => client.destroy());

  describeStore({
    name: 'dynamodb',
    // TTL deletes late (up to days on AWS); the user index is a GSI, eventually consistent.
    capabilities: { nativeExpiry: 'lagging', userIndexLagMs: 2000 },
    create: ({ namespace, clock, codec }) => new DynamoDBStore({ client, namespace, clock, codec }),
    raw: (_store, { namespace }) => dynamoRaw(client, namespace),
  });
});
