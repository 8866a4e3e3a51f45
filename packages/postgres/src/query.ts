/**
 * One statement under the kit's deadline. A connection is taken from the pool, the statement
 * sent, the connection given back. When the deadline passes first:
 * - while waiting for a connection: the caller has its `UNAVAILABLE` from the kit already; the
 *   connection, when it comes, goes straight back, and nothing is sent (no late write);
 * - while the statement runs: PostgreSQL is asked to cancel it (a CancelRequest, as `psql`
 *   sends on Ctrl-C) and the connection is destroyed, so the pool slot is free at once, even
 *   when the server has stopped answering.
 */
import { connect } from 'node:net';
import type { Operation } from '@sessions/core/kit';
import pg, { type Pool, type PoolClient, type QueryConfig, type QueryResult } from 'pg';

const parseBytea = pg.types.getTypeParser(pg.types.builtins.BYTEA, 'text');
const asText = (value: string): string => value;
const isTrue = (value: string): boolean => value === 't';

/**
 * How the store's statements read columns, whatever the pool's global type parsers say:
 * `bigint` as a JS number (stored expiries and versions are safe integers; the kit reports
 * anything else as `CORRUPT`), `bytea` as the UTF-8 text it holds, `boolean` as a boolean (the
 * wire's `t` / `f`: as text, `f` would be truthy).
 */
export const SESSION_TYPES = {
  getTypeParser(oid: number): (value: string) => unknown {
    if (oid === pg.types.builtins.INT8) return Number;
    if (oid === pg.types.builtins.BOOL) return isTrue;
    if (oid === pg.types.builtins.BYTEA) {
      return (value: string) => (parseBytea(value) as Buffer).toString('utf8');
    }
    return asText;
  },
} as unknown as NonNullable<QueryConfig['types']>;

/** What `pg.Client` knows about its server process, untyped in `@types/pg`. */
interface BackendKey {
  host: string;
  port: number;
  processID: number | null;
  secretKey: number | null;
}

/** Run `statement` on a connection of `pool`, within `op`'s deadline (see the module comment). */
export async function runStatement<R extends object>(
  pool: Pool,
  op: Operation,
  statement: QueryConfig,
): Promise<QueryResult<R>> {
  const client = await pool.connect();
  // A checked-out client has no pool listener: a server that dies under it (a kill, a reset)
  // would emit 'error' uncaught. The query itself rejects with the same error.
  client.on('error', ignoreError);
  if (op.expired) {
    client.off('error', ignoreError);
    client.release();
    throw op.signal.reason;
  }
  let abandoned = false;
  const abandon = () => {
    abandoned = true;
    cancelOnServer(client);
    client.release(new Error('@sessions/postgres: operation deadline passed'));
  };
  const stopWatching = op.onExpiry(abandon);
  try {
    return await client.query<R>(statement);
  } finally {
    stopWatching();
    // An abandoned client is destroyed: it keeps the listener for its socket's late errors.
    if (!abandoned) {
      client.off('error', ignoreError);
      client.release();
    }
  }
}

function ignoreError(): void {}

// Bound on the side connection that carries a CancelRequest: a frozen server never answers it.
const CANCEL_TIMEOUT_MS = 1000;

/**
 * Ask the server to cancel what `client`'s backend runs: the protocol's CancelRequest (16
 * bytes: length, code 80877102, process id, secret key) on a connection of its own, closed by
 * the server once read. Best effort: when it fails, the server's own `statement_timeout` (set
 * on the pools the store opens) ends the statement.
 */
function cancelOnServer(client: PoolClient): void {
  const { host, port, processID, secretKey } = client as unknown as BackendKey;
  if (processID == null || secretKey == null) return;
  const socket = host.startsWith('/')
    ? connect(`${host}/.s.PGSQL.${port}`)
    : connect({ host, port });
  socket.setTimeout(CANCEL_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('connect', () => {
    const request = Buffer.alloc(16);
    request.writeInt32BE(16, 0);
    request.writeInt32BE(80877102, 4);
    request.writeInt32BE(processID, 8);
    request.writeInt32BE(secretKey, 12);
    socket.end(request);
  });
  socket.unref();
}
