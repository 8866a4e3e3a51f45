// PostgresStore against raw `pg` on the same server and the same pool size, 1 KiB payloads with
// the same JSON encode and decode: first raw `pg` running exactly the store's statements
// (`sessionSql`, prepared by name), then the simplest raw work that keeps a session: a plain
// upsert, a plain primary-key select, a plain update and delete, with no version and no expiry
// check. A throwaway PostgreSQL is started here, or POSTGRES_URL is used.
import { type BenchTarget, runStoreBench, storeTarget } from '@sessions/bench';
import { jsonCodec } from '@sessions/core';
import { startPostgres } from '@sessions/test-services/postgres';
import pg from 'pg';
import { PostgresStore, schemaSql, sessionSql } from '../src/index.js';

const POOL_SIZE = 10;
const sql = sessionSql('sessions');

/** Raw `pg` running the store's own statements, in the raw baseline's namespace. */
function sameStatements(pool: pg.Pool): BenchTarget {
  const ns = 'bench-raw';
  const run = (name: keyof typeof sql, values: unknown[]) =>
    pool.query({ name: `bench:${name}`, text: sql[name], values });
  return {
    async get(key) {
      const { rows } = await run('get', [ns, key, Date.now()]);
      return rows[0] === undefined ? undefined : jsonCodec.decode(rows[0].data.toString('utf8'));
    },
    set: (key, data, expiresAt) =>
      run('upsert', [ns, key, Buffer.from(jsonCodec.encode(data)), expiresAt, null, Date.now()]),
    touch: async (key, expiresAt) =>
      ((await run('touch', [expiresAt, ns, key, Date.now()])).rowCount ?? 0) > 0,
    delete: async (key) => ((await run('deleteKey', [ns, key])).rowCount ?? 0) > 0,
  };
}

/** The simplest raw work: no version, no expiry check, a table with two columns and a key. */
function plainWork(pool: pg.Pool): BenchTarget {
  const q = (name: string, text: string, values: unknown[]) => pool.query({ name, text, values });
  return {
    async get(key) {
      const { rows } = await q('plain:get', 'SELECT data FROM bench_plain WHERE key = $1', [key]);
      return rows[0] === undefined ? undefined : jsonCodec.decode(rows[0].data);
    },
    set: (key, data, expiresAt) =>
      q(
        'plain:set',
        `INSERT INTO bench_plain (key, data, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [key, jsonCodec.encode(data), expiresAt],
      ),
    touch: async (key, expiresAt) =>
      ((
        await q('plain:touch', 'UPDATE bench_plain SET expires_at = $2 WHERE key = $1', [
          key,
          expiresAt,
        ])
      ).rowCount ?? 0) > 0,
    delete: async (key) =>
      ((await q('plain:delete', 'DELETE FROM bench_plain WHERE key = $1', [key])).rowCount ?? 0) >
      0,
  };
}

const server = process.env.POSTGRES_URL ? undefined : await startPostgres();
const url = process.env.POSTGRES_URL ?? (server?.url as string);
const store = new PostgresStore({ url, namespace: 'bench', poolSize: POOL_SIZE });
const raw = new pg.Pool({ connectionString: url, max: POOL_SIZE });
try {
  await raw.query(schemaSql('sessions'));
  await raw.query(
    'CREATE TABLE IF NOT EXISTS bench_plain (key text PRIMARY KEY, data text NOT NULL, expires_at bigint NOT NULL)',
  );
  const subject = storeTarget(store);
  await runStoreBench({
    title: 'postgres vs raw pg (same statements)',
    subject,
    raw: sameStatements(raw),
  });
  await runStoreBench({
    title: 'postgres vs raw pg (plain upsert/select)',
    subject,
    raw: plainWork(raw),
  });
} finally {
  await store.clear();
  await store.close();
  await raw.end();
  await server?.stop();
}
