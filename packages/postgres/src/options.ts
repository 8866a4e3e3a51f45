/**
 * The options of {@link PostgresStore}. The shared ones (`namespace`, `clock`, `codec`,
 * `maxPayloadBytes`, `operationTimeout`, `pruneInterval`, `onBackgroundError`) are validated by
 * the store kit; the PostgreSQL ones here, before any connection is opened.
 */
import type { PruningStoreOptions, SessionData } from '@sessions/core';
import { choiceOption, integerOption, oneOfOptions } from '@sessions/core/kit';
import type { Pool } from 'pg';

/** The package name every error of this store carries as `source`. */
export const SOURCE = '@sessions/postgres';

/** Default table name. */
export const DEFAULT_TABLE = 'sessions';
/** Default size of the pool the store opens from a `url`. */
export const DEFAULT_POOL_SIZE = 10;
/**
 * How long a connection attempt of the pool the store opens may last (or `operationTimeout`, if
 * longer): well past one operation, so that a slow connect is not thrown away and retried.
 */
export const CONNECT_ATTEMPT_MS = 10_000;
/** Default `pruneInterval`: five minutes. */
export const DEFAULT_PRUNE_INTERVAL_MS = 5 * 60_000;

// The table name is the only identifier ever written into SQL text, so it is held to plain
// ASCII identifier characters, short enough that `<table>_expires` fits PostgreSQL's 63 bytes.
const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,54}$/;

/**
 * Options of {@link PostgresStore}: the shared store options and these. Give exactly one of
 * `url` (the store opens a bounded pool and closes it) and `pool` (yours, used as it is).
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { url: 'postgres://app@db/app', poolSize: 20 };
 * ```
 */
export interface PostgresStoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /**
   * A `postgres://` connection string: the store opens a `pg.Pool` of `poolSize` connections
   * whose statements the server cancels after `operationTimeout` (`statement_timeout`), and
   * closes it on `close()`. An operation waits for a connection at most `operationTimeout`; a
   * connection attempt may last 10 s, so that one completing late serves the next operation.
   */
  url?: string;
  /**
   * Your `pg.Pool`, used as it is: the store changes none of its settings, adds no listener and
   * never ends it. Give it an `'error'` listener (an idle connection's failure is emitted there).
   */
  pool?: Pool;
  /** Connections of the pool opened from `url` (an integer from 1 to 1000); default 10. */
  poolSize?: number;
  /** Table holding the sessions (`[A-Za-z_][A-Za-z0-9_]*`, at most 55 characters); default `sessions`. */
  table?: string;
  /**
   * Create the table and its indexes if absent, before the first operation (default true).
   * False for teams that run their own migrations: apply `schemaSql(table)` yourself.
   */
  createTable?: boolean;
}

/** The PostgreSQL-specific options after defaults and validation. */
export interface PostgresSettings {
  readonly table: string;
  readonly createTable: boolean;
  readonly poolSize: number;
}

/** Validate the PostgreSQL options; a malformed one is a `TypeError` naming it. */
export function resolvePostgresOptions(options: PostgresStoreOptions<unknown>): PostgresSettings {
  const { url, pool } = options;
  oneOfOptions(options, ['url', 'pool'], SOURCE);
  if (url !== undefined && (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))) {
    throw new TypeError(`[${SOURCE}] url must be a postgres:// connection string`);
  }
  if (pool !== undefined && (typeof pool !== 'object' || typeof pool?.connect !== 'function')) {
    throw new TypeError(`[${SOURCE}] pool must be a pg.Pool`);
  }
  const table = options.table ?? DEFAULT_TABLE;
  if (typeof table !== 'string' || !TABLE_PATTERN.test(table)) {
    throw new TypeError(
      `[${SOURCE}] table must match ${TABLE_PATTERN}, got ${JSON.stringify(table)}`,
    );
  }
  const createTable = choiceOption(options.createTable, true, 'createTable', [true, false], SOURCE);
  const range = { source: SOURCE, min: 1, max: 1000 };
  const poolSize = integerOption(options.poolSize, DEFAULT_POOL_SIZE, 'poolSize', range);
  if (pool !== undefined && options.poolSize !== undefined) {
    throw new TypeError(`[${SOURCE}] poolSize applies to a pool the store opens: remove it`);
  }
  return { table, createTable, poolSize };
}
