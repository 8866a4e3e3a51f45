// MongoDB through the shared outage harness (issue 10): a dedicated FerretDB (its SQLite files
// survive a restart, so every acknowledged write must still be there) killed with SIGKILL and
// restarted on the same port. Each scenario uses a fresh collection, so the first calls also
// meet the store's lazy index creation.
import { niced } from '@sessions/outage';
import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import { reportMissingBackend, startServer } from '@sessions/test-services';
import {
  detectMongoServer,
  FERRETDB_INSTALL,
  ferretDbProblem,
  ferretDbSpec,
  findFerretDb,
} from '@sessions/test-services/ferretdb';
import { MongoDBStore } from '../src/index.js';

const binary = findFerretDb();
const problem = binary ? ferretDbProblem(binary) : 'ferretdb is not installed';
// Without MONGODB_URL the global setup looked for FerretDB and reported what was wrong already.
if (problem && process.env.MONGODB_URL) reportMissingBackend('mongodb', problem, FERRETDB_INSTALL);

// FerretDB 1.x has no TTL indexes: the store runs in prune mode there (found out at start,
// while the server is up, because the cold-start scenario creates a store while it is down).
let expiryMode: 'ttl-index' | 'prune' = 'prune';

const storeOn = (url: string, scope: string) =>
  new MongoDBStore({
    url,
    dbName: 'sessions_outage',
    collection: scope,
    namespace: scope,
    expiryMode,
  });

describeServerOutage({
  name: 'mongodb (FerretDB 1.24)',
  unavailable: problem,
  start: async () => {
    const server = await startServer(niced(ferretDbSpec(binary ?? 'ferretdb')));
    expiryMode = (await detectMongoServer(server.url)).expiryMode;
    return server;
  },
  isEmptyAfterRestart: false,
  provision: async (server, scope) => {
    const store = storeOn(server.url, scope);
    try {
      await store.ensureIndexes();
    } finally {
      await store.close();
    }
  },
  createStore: (server, scope) => storeOn(server.url, scope),
  readBack: (server, scope) => storeReadBack(() => storeOn(server.url, scope)),
});
