// The shared conformance suite against DynamoDB Local (or DYNAMODB_ENDPOINT).
import { describeStore } from '@sessions/conformance/vitest';
import { afterAll, describe } from 'vitest';
import { DynamoDBStore } from '../src/index.js';
import { dynamoRaw, endpoint, testClient } from './support.js';

describe.skipIf(!endpoint)('dynamodb', () => {
  // One client for every store the suite builds; the stores never destroy a client they were
  // given. The suite checks the contract, not the bounds (the outage and failure tests do): a
  // long operationTimeout keeps the emulator's throughput on a busy machine out of it (the
  // manager's contended compare-and-set increments queue for seconds).
  const operationTimeout = 30_000;
  const client = testClient({}, operationTimeout);
  afterAll(() => client.destroy());

  describeStore(
    {
      name: 'dynamodb',
      // TTL deletes late (up to days on AWS); the user index is a GSI, eventually consistent.
      capabilities: { nativeExpiry: 'lagging', userIndexLagMs: 2000 },
      create: ({ namespace, clock, codec }) =>
        new DynamoDBStore({ client, namespace, clock, codec, operationTimeout }),
      raw: (_store, { namespace }) => dynamoRaw(client, namespace),
    },
    // Every compare-and-set on one item is a round trip to the emulator (a few ms here, not
    // Redis's tenth of one): 2,000 contended increments would take minutes. 500 at 50 in
    // flight still makes every writer lose races many times over.
    { manager: { increments: 500, inFlight: 50 } },
  );
});
