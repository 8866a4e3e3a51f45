/**
 * `@sessions/postgres`: a session store in a PostgreSQL table, on node-postgres (`pg` 8).
 * One statement per operation; compare-and-set atomic across processes and machines.
 *
 * @example
 * ```ts
 * import { PostgresStore } from '@sessions/postgres';
 * const store = new PostgresStore({ url: process.env.DATABASE_URL });
 * ```
 *
 * @packageDocumentation
 */
export type { PostgresStoreOptions } from './options.js';
export { DEFAULT_POOL_SIZE, DEFAULT_PRUNE_INTERVAL_MS, DEFAULT_TABLE } from './options.js';
export { PostgresStore } from './postgres-store.js';
export { schemaSql } from './schema.js';
export type { SessionSql } from './statements.js';
export { PAGE_ROWS, sessionSql } from './statements.js';
