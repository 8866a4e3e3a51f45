/**
 * PostgreSQL: a test cluster shared by every app process, read raw through a `pg` pool of its
 * own. Storage is the namespace's rows and the table's size on disk with its indexes.
 */
import { PostgresStore } from '@sessions/postgres';
import { postgresInstalled, startPostgres } from '@sessions/test-services/postgres';
import pg from 'pg';
import type { SoakBackend } from './types.js';

/** The PostgreSQL backend: three processes on one server. */
export const postgresBackend: SoakBackend = {
  name: 'postgres',
  processes: 3,
  unavailable: () =>
    process.env.POSTGRES_URL || postgresInstalled() ? undefined : 'PostgreSQL is not installed',
  async deploy() {
    if (process.env.POSTGRES_URL) {
      return { connection: { url: process.env.POSTGRES_URL }, stop: async () => {} };
    }
    const server = await startPostgres();
    return { connection: { url: server.url }, stop: () => server.stop() };
  },
  async openRaw({ url = '' }, namespace) {
    // One connection, never closed for idleness, opened before the worker counts its handles:
    // this socket is the probe's, not the store's.
    const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
    pool.on('error', () => {});
    await pool.query('SELECT 1');
    return {
      async read(keys) {
        const { rows } = await pool.query<{ key: string; data: Buffer }>(
          'SELECT key, data FROM sessions WHERE namespace = $1 AND key = ANY($2)',
          [namespace, keys],
        );
        return new Map(rows.map((row) => [row.key, row.data.toString('utf8')]));
      },
      async storage() {
        const { rows } = await pool.query<{ rows: string; bytes: string; dead: string | null }>(
          `SELECT (SELECT count(*) FROM sessions WHERE namespace = $1) AS rows,
                  pg_total_relation_size('sessions') AS bytes,
                  (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'sessions') AS dead`,
          [namespace],
        );
        const row = rows[0];
        return {
          rows: Number(row?.rows),
          tableBytes: Number(row?.bytes),
          deadTuples: Number(row?.dead ?? 0),
        };
      },
      close: () => pool.end(),
    };
  },
  openStore: async ({ url = '' }, namespace) => new PostgresStore({ url, namespace }),
};
