/**
 * PostgreSQL (one server on loopback, started here unless POSTGRES_URL is set), every system
 * on a pool of its own of the same size: a plain upsert/select table, raw `pg` running our
 * store's own statements, our PostgresStore, and connect-pg-simple.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PostgresStore, schemaSql, sessionSql } from '@sessions/postgres';
import { startPostgres } from '@sessions/test-services/postgres';
import session from 'express-session';
import pg from 'pg';
import { type BackendSpec, orCleanup } from '../backend.js';
import { directTarget } from '../direct.js';
import { expressTarget, ourAdapterTargets } from '../frameworks.js';
import { expiryFromNow, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

/** Connections of every system's pool: our store's default. */
const POOL_SIZE = 10;

/** The simplest raw work: one table keyed by session ID, prepared statements, JSON text. */
function plainTarget(pool: pg.Pool): Target {
  const q = (name: string, text: string, values: unknown[]) => pool.query({ name, text, values });
  return {
    async get(sid) {
      const { rows } = await q(
        'plain:get',
        'SELECT data FROM plain_sessions WHERE sid = $1 AND expires > $2',
        [sid, Date.now()],
      );
      return rows[0] === undefined ? undefined : JSON.parse(rows[0].data);
    },
    set: (sid) =>
      q(
        'plain:set',
        `INSERT INTO plain_sessions (sid, data, expires) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires = EXCLUDED.expires`,
        [sid, JSON.stringify(SESSION_DATA), expiryFromNow()],
      ),
    touch: async (sid) =>
      (
        await q('plain:touch', 'UPDATE plain_sessions SET expires = $1 WHERE sid = $2', [
          expiryFromNow(),
          sid,
        ])
      ).rowCount,
    delete: async (sid) =>
      (await q('plain:delete', 'DELETE FROM plain_sessions WHERE sid = $1', [sid])).rowCount,
  };
}

/** Raw `pg` running exactly our store's statements (versions, expiry checks), one per call. */
function sameStatementsTarget(pool: pg.Pool, table: string): Target {
  const sql = sessionSql(table);
  const ns = 'raw';
  const run = (name: keyof typeof sql, values: unknown[]) =>
    pool.query({ name: `same:${name}`, text: sql[name], values });
  return {
    async get(sid) {
      const { rows } = await run('get', [ns, sid, Date.now()]);
      return rows[0] === undefined ? undefined : JSON.parse(rows[0].data.toString('utf8'));
    },
    set: (sid) =>
      run('upsert', [
        ns,
        sid,
        Buffer.from(JSON.stringify(SESSION_DATA)),
        expiryFromNow(),
        null,
        Date.now(),
      ]),
    touch: async (sid) => (await run('touch', [expiryFromNow(), ns, sid, Date.now()])).rowCount,
    delete: async (sid) => (await run('deleteKey', [ns, sid])).rowCount,
  };
}

type PeerStoreClass = new (options: {
  pool: pg.Pool;
  tableName: string;
  pruneSessionInterval: false;
}) => session.Store;
const require = createRequire(import.meta.url);
const peerStoreFor = require('connect-pg-simple') as (express: typeof session) => PeerStoreClass;

/** The peer's own schema, from the file it ships (what its README tells users to run). */
function peerSchemaSql(): string {
  return readFileSync(require.resolve('connect-pg-simple/table.sql'), 'utf8');
}

/**
 * The processes of the server under `pid` (PostgreSQL runs one per connection, and a pool
 * closes idle ones), for the server CPU column: read at each slice.
 */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8');
      for (const child of children.trim().split(/\s+/)) if (child) pids.push(Number(child));
    } catch {
      // Gone, or not Linux: counted as far as it could be read.
    }
  }
  return pids;
}

/** The PostgreSQL line-up. */
export const postgres: BackendSpec = {
  name: 'postgres',
  poolSize: 1000,
  async open(poolSize) {
    const server = process.env.POSTGRES_URL ? undefined : await startPostgres();
    const url = process.env.POSTGRES_URL ?? (server?.url as string);
    const closers: Array<() => Promise<unknown>> = [];
    const cleanup = async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await server?.stop();
    };
    return orCleanup(async () => {
      const newPool = () => {
        const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
        pool.on('error', () => {});
        closers.push(() => pool.end());
        return pool;
      };
      const [plainPool, samePool, peerPool] = [newPool(), newPool(), newPool()];
      await plainPool.query(
        `DROP TABLE IF EXISTS plain_sessions;
         CREATE TABLE plain_sessions (sid text PRIMARY KEY, data text NOT NULL, expires bigint NOT NULL)`,
      );
      await samePool.query(`DROP TABLE IF EXISTS raw_sessions; ${schemaSql('raw_sessions')}`);
      await peerPool.query(`DROP TABLE IF EXISTS "session"; ${peerSchemaSql()}`);
      const ours = ['direct', 'express', 'fastify'].map(
        (name) => new PostgresStore({ url, table: `${name}_sessions`, poolSize: POOL_SIZE }),
      );
      for (const store of ours) closers.push(() => store.close());
      const [direct, viaExpress, viaFastify] = ours as [
        PostgresStore,
        PostgresStore,
        PostgresStore,
      ];
      for (const store of ours) await store.clear();
      const PeerStore = peerStoreFor(session);
      const contender = (name: string, target: Target) =>
        new TargetContender(name, target, poolSize);
      const version = (await plainPool.query('SHOW server_version')).rows[0]?.server_version;
      return {
        title: `PostgreSQL (${version ?? '?'}, loopback, ${POOL_SIZE} connections per system)`,
        notes: [
          'Server CPU: the postmaster and every backend process, from /proc.',
          "raw: our statements runs our store's SQL (versions, expiry checks) through plain pool.query, prepared by name.",
          'connect-pg-simple stores sess as json with a timestamp expiry, as its table.sql ships; its prune timer is off, as ours is not measured either.',
        ],
        serverPids: () => (server?.pid === undefined ? [] : processTree(server.pid)),
        contenders: [
          contender('raw: upsert/select, one table', plainTarget(plainPool)),
          contender('raw: our statements', sameStatementsTarget(samePool, 'raw_sessions')),
          contender('ours: PostgresStore', directTarget(direct)),
          ...ourAdapterTargets(viaExpress, viaFastify).map(([name, target]) =>
            contender(name, target),
          ),
          contender(
            'express: connect-pg-simple',
            expressTarget(
              new PeerStore({ pool: peerPool, tableName: 'session', pruneSessionInterval: false }),
            ),
          ),
        ],
        close: cleanup,
      };
    }, cleanup);
  },
};
