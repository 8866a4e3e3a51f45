/**
 * The table layout and its migrations. The schema version lives in the store's own
 * `<table>_meta` table, not in `PRAGMA user_version`: that number belongs to the whole file,
 * and the application sharing the file may use it for its own migrations.
 */
import { UnavailableError } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { SOURCE } from './options.js';

/** The schema version this release creates and understands. */
export const SCHEMA_VERSION = 1;

/**
 * The statements that create the schema of version 1: the table (primary key = namespace +
 * key), the index that makes pruning a range scan, and the user index (partial: sessions
 * without a user cost it nothing).
 *
 * @example
 * ```ts
 * db.exec(createTableSql('sessions'));
 * ```
 */
export function createTableSql(table: string): string {
  return `CREATE TABLE "${table}" (
  namespace  TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  user_id    TEXT,
  version    INTEGER NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX "${table}_expires" ON "${table}" (namespace, expires_at);
CREATE INDEX "${table}_user" ON "${table}" (namespace, user_id) WHERE user_id IS NOT NULL;`;
}

// Migration n (1-based) brings the schema from version n - 1 to n. Append, never edit.
const MIGRATIONS: ReadonlyArray<(table: string) => string> = [createTableSql];

/**
 * Create or upgrade the schema, recording its version. Cheap when it is current (two reads,
 * no write lock); otherwise one IMMEDIATE transaction, so processes starting together migrate
 * once. May throw SQLITE_BUSY, which the caller retries.
 */
export function migrate(db: Database, table: string): void {
  const meta = `"${table}_meta"`;
  const tableExists = db
    .prepare<[string], number>("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .pluck();
  const readVersion = (): number => {
    if (tableExists.get(`${table}_meta`) === undefined) return 0;
    return (
      db
        .prepare<[], number>(`SELECT value FROM ${meta} WHERE name = 'schema_version'`)
        .pluck()
        .get() ?? 0
    );
  };
  if (checkVersion(readVersion(), table) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = checkVersion(readVersion(), table);
    if (current === SCHEMA_VERSION) return;
    if (current === 0 && tableExists.get(table) !== undefined) {
      throw new UnavailableError(
        SOURCE,
        `a table "${table}" exists but was not created by ${SOURCE} (there is no "${table}_meta"); choose another \`table\``,
      );
    }
    db.exec(`CREATE TABLE IF NOT EXISTS ${meta} (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec((MIGRATIONS[version - 1] as (t: string) => string)(table));
    }
    db.prepare(
      `INSERT INTO ${meta} (name, value) VALUES ('schema_version', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(SCHEMA_VERSION);
  }).immediate();
}

function checkVersion(version: number, table: string): number {
  if (version > SCHEMA_VERSION) {
    throw new UnavailableError(
      SOURCE,
      `table "${table}" has schema version ${version}, newer than this release of ${SOURCE} understands (${SCHEMA_VERSION}); upgrade the package`,
    );
  }
  return version;
}
