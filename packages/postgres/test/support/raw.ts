/** Raw access to the store's table for the conformance suite, bypassing the store. */
import type { RawAccess } from '@sessions/conformance';
import type { Pool } from 'pg';

interface RawRow {
  key: string;
  data: Buffer;
  expires_at: string;
  user_id: string | null;
  version: string;
}

/** What is stored for `namespace` in `table`, read and written with plain SQL. */
export function postgresRaw(pool: Pool, namespace: string, table = 'sessions'): RawAccess {
  const t = `"${table}"`;
  const show = (row: RawRow) => ({
    key: row.key,
    data: row.data.toString('utf8'),
    expiresAt: Number(row.expires_at),
    userId: row.user_id,
    version: Number(row.version),
  });
  return {
    async read(key) {
      const { rows } = await pool.query<RawRow>(
        `SELECT * FROM ${t} WHERE namespace = $1 AND key = $2`,
        [namespace, key],
      );
      return rows[0] === undefined ? undefined : show(rows[0]);
    },
    async writePayload(key, payload, expiresAt) {
      await pool.query(
        `INSERT INTO ${t} (namespace, key, data, expires_at, user_id, version)
         VALUES ($1, $2, $3, $4, NULL, 1)
         ON CONFLICT (namespace, key) DO UPDATE SET data = EXCLUDED.data,
           expires_at = EXCLUDED.expires_at, user_id = NULL, version = 1`,
        [namespace, key, Buffer.from(payload, 'utf8'), expiresAt],
      );
    },
    async dump() {
      const { rows } = await pool.query<RawRow>(`SELECT * FROM ${t} WHERE namespace = $1`, [
        namespace,
      ]);
      return JSON.stringify(rows.map(show));
    },
  };
}
