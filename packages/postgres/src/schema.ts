/**
 * The table layout: one table, primary key `(namespace, key)`, an index on the expiry for the
 * prune and a partial index on the owner for the user index.
 */

/**
 * The SQL that creates the store's table and indexes, if absent. The store runs it itself
 * (`createTable: true`, the default); teams that run their own migrations apply it and pass
 * `createTable: false`.
 *
 * `data` is `bytea`: the codec's text, as UTF-8 bytes. PostgreSQL's `text` refuses the NUL
 * character and converts to the database encoding, so a codec whose output holds `\u0000`
 * (or a database not in UTF-8) would fail or change the data; `bytea` stores exactly the
 * bytes written.
 *
 * @example
 * ```ts
 * console.log(schemaSql('sessions')); // paste into a migration
 * ```
 */
export function schemaSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS "${table}" (
  namespace  text   NOT NULL,
  key        text   NOT NULL,
  data       bytea  NOT NULL,
  expires_at bigint NOT NULL,
  user_id    text,
  version    bigint NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX IF NOT EXISTS "${table}_expires" ON "${table}" (namespace, expires_at);
CREATE INDEX IF NOT EXISTS "${table}_user" ON "${table}" (namespace, user_id) WHERE user_id IS NOT NULL;`;
}

/**
 * {@link schemaSql} as one implicit transaction that first takes an advisory lock of the table
 * name: processes starting together would otherwise race `CREATE TABLE IF NOT EXISTS` into a
 * duplicate-key error on PostgreSQL's catalog.
 */
export function createSchemaSql(table: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('@sessions/postgres:${table}'));\n${schemaSql(table)}`;
}
