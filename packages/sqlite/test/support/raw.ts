/**
 * Raw access to the sessions table for the conformance suite, bypassing the store: what is
 * really in the row, and rows written with payloads the codec never produced.
 */
import type { RawAccess } from '@sessions/conformance';
import type { Database } from 'better-sqlite3';

/** {@link RawAccess} over the rows of one namespace of `table`, through connection `db`. */
export function sqliteRaw(db: Database, namespace: string, table = 'sessions'): RawAccess {
  const read = db.prepare(`SELECT * FROM "${table}" WHERE namespace = ? AND key = ?`);
  const write = db.prepare(
    `INSERT OR REPLACE INTO "${table}" (namespace, key, data, expires_at, user_id, version) VALUES (?, ?, ?, ?, NULL, 1)`,
  );
  const all = db.prepare(`SELECT * FROM "${table}" WHERE namespace = ? ORDER BY key`);
  return {
    async read(key) {
      return read.get(namespace, key);
    },
    async writePayload(key, payload, expiresAt) {
      write.run(namespace, key, payload, expiresAt);
    },
    async dump() {
      return JSON.stringify(all.all(namespace));
    },
  };
}
