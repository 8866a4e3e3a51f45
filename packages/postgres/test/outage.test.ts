// PostgreSQL through the shared outage harness: a dedicated server (its data on disk, so every
// acknowledged write must survive a restart) frozen, killed and restarted on the same port. It
// runs one backend process per connection: the harness signals the server's whole process
// group, so a freeze stops every backend and a kill leaves none behind to block the restart.
// Each scenario uses a fresh table, so the first calls also meet the store's lazy creation.
import { niced } from '@sessions/outage';
import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import { reportMissingBackend, startServer } from '@sessions/test-services';
import {
  POSTGRES_INSTALL,
  postgresInstalled,
  postgresSpec,
} from '@sessions/test-services/postgres';
import pg from 'pg';
import { PostgresStore, schemaSql } from '../src/index.js';

const installed = postgresInstalled();
if (!installed) reportMissingBackend('postgres', 'PostgreSQL is not installed', POSTGRES_INSTALL);

const storeOn = (url: string, scope: string) =>
  new PostgresStore({ url, table: scope, namespace: scope });

describeServerOutage({
  name: 'postgres (PostgreSQL)',
  unavailable: installed ? undefined : 'PostgreSQL is not installed',
  start: () => startServer(niced(postgresSpec)),
  isEmptyAfterRestart: false,
  provision: async (server, scope) => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query(schemaSql(scope));
    } finally {
      await client.end();
    }
  },
  createStore: (server, scope) => storeOn(server.url, scope),
  readBack: (server, scope) => storeReadBack(() => storeOn(server.url, scope)),
});
