/**
 * `@sessions/sqlite`: the embedded default session store, on better-sqlite3. No server; safe
 * for several processes sharing one file on one host.
 *
 * @example
 * ```ts
 * import { SqliteStore } from '@sessions/sqlite';
 * const store = new SqliteStore({ database: './sessions.db' });
 * ```
 *
 * @packageDocumentation
 */
export type { SqliteStoreOptions, SqliteSynchronous } from './options.js';
export { DEFAULT_PRUNE_INTERVAL_MS, DEFAULT_TABLE } from './options.js';
export { SqliteStore } from './sqlite-store.js';
export type { KeyedSessionRow, SessionRow } from './statements.js';
export { createTableSql, SCHEMA_VERSION, sessionSql } from './statements.js';
