// DynamoDB through the shared outage harness (issue 10): a dedicated DynamoDB Local killed with
// SIGKILL and restarted on the same port. It keeps its tables on disk here (-dbPath instead of
// -inMemory): a real DynamoDB never loses a table when it is unreachable, so this measures the
// store's recovery from an outage, not a table rebuild — and every acknowledged write must
// survive the restart. Each scenario uses a fresh table, so first calls meet lazy creation.
import { niced } from '@sessions/outage';
import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import { reportMissingBackend, type ServerSpec, startServer, which } from '@sessions/test-services';
import {
  DYNAMODB_INSTALL,
  DYNAMODB_LOCAL_CREDENTIALS,
  dynamoSpec,
} from '@sessions/test-services/dynamodb';
import { DynamoDBStore } from '../src/index.js';

const java = which('java') !== undefined;
if (!java)
  reportMissingBackend(
    'dynamodb',
    'java (needed by DynamoDB Local) is not on PATH',
    DYNAMODB_INSTALL,
  );

/** DynamoDB Local as the shared spec runs it, but with its data in the server's scratch dir. */
const onDiskSpec: ServerSpec = {
  ...dynamoSpec,
  name: 'dynamodb-on-disk',
  command(port, dir) {
    const command = dynamoSpec.command(port, dir);
    return {
      ...command,
      args: command.args.flatMap((arg) => (arg === '-inMemory' ? ['-dbPath', dir] : [arg])),
    };
  },
};

const storeOn = (endpoint: string, scope: string) =>
  new DynamoDBStore({
    clientConfig: { ...DYNAMODB_LOCAL_CREDENTIALS, endpoint },
    tableName: scope,
    namespace: scope,
  });

describeServerOutage({
  name: 'dynamodb (DynamoDB Local)',
  unavailable: java ? undefined : 'java is not installed',
  start: () => startServer(niced(onDiskSpec)),
  isEmptyAfterRestart: false,
  provision: async (server, scope) => {
    const store = storeOn(server.url, scope);
    try {
      await store.ensureTable();
    } finally {
      await store.close();
    }
  },
  createStore: (server, scope) => storeOn(server.url, scope),
  readBack: (server, scope) => storeReadBack(() => storeOn(server.url, scope)),
});
