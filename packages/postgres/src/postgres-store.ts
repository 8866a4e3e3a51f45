/**
 * The PostgreSQL session store on node-postgres: PostgreSQL's primitives
 * ({@link PostgresDriver}) on the store kit of `@sessions/core/kit`, which owns validation, the
 * codec, the deadline, the error mapping and the background prune.
 */
import type { SessionData } from '@sessions/core';
import { PruningDriverStore } from '@sessions/core/kit';
import pg, { type Pool } from 'pg';
import {
  CONNECT_ATTEMPT_MS,
  DEFAULT_PRUNE_INTERVAL_MS,
  type PostgresStoreOptions,
  resolvePostgresOptions,
  SOURCE,
} from './options.js';
import { PostgresDriver } from './postgres-driver.js';

// PostgreSQL's limit on one field value (1 GB).
const POSTGRES_MAX_FIELD = 1024 ** 3 - 1;

/**
 * A `SessionStore` in a PostgreSQL table, through `pg` (node-postgres 8) and its `Pool`.
 *
 * Every operation is one statement, so compare-and-set is atomic across processes and
 * machines. PostgreSQL has no TTL: expired rows are deleted by `prune()`, which an unref'd
 * timer runs every `pruneInterval`. `close()` stops it and ends a pool the store opened.
 *
 * @example
 * ```ts
 * import { PostgresStore } from '@sessions/postgres';
 * const store = new PostgresStore({ url: 'postgres://app@127.0.0.1/app' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 3_600_000 });
 * (await store.get('k1'))?.data; // { cart: [] }
 * await store.close();
 * ```
 */
export class PostgresStore<D = SessionData> extends PruningDriverStore<D, PostgresDriver> {
  /** The pool in use: the one passed as `pool`, or the one the store opened (and ends). */
  readonly pool: Pool;

  constructor(options: PostgresStoreOptions<D>) {
    super(options, {
      source: SOURCE,
      payloadLimit: POSTGRES_MAX_FIELD,
      pruneInterval: DEFAULT_PRUNE_INTERVAL_MS,
      // Runs once the shared options are valid: the PostgreSQL ones next, then the pool.
      driver: ({ namespace, operationTimeout }) => {
        const settings = resolvePostgresOptions(options);
        if (options.pool !== undefined) {
          return new PostgresDriver(options.pool, false, namespace, settings);
        }
        const pool = new pg.Pool({
          connectionString: options.url,
          max: settings.poolSize,
          // The kit's deadline ends each operation's wait for a connection. The attempt itself
          // may outlive it: one that completes late serves the next operation. Abandoned at
          // every deadline instead, a server that stops answering would get `max` fresh
          // attempts per operationTimeout, every one queued for a fork when it answers again
          // (50 of them after a 10 s freeze: ~1 s before the first success, now ~0.15 s).
          connectionTimeoutMillis: Math.max(operationTimeout, CONNECT_ATTEMPT_MS),
          // The server's own bound on every statement, should the cancel not reach it.
          statement_timeout: operationTimeout,
          keepAlive: true,
        });
        // An idle connection's failure (a server restart) is emitted here; the next operation
        // on the pool reports it, so it must not crash the process.
        pool.on('error', () => {});
        return new PostgresDriver(pool, true, namespace, settings);
      },
    });
    this.pool = this.driver.pool;
  }
}
