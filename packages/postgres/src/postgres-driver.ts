/**
 * PostgreSQL's primitives for the store kit: one statement per operation (see statements.ts),
 * each run under the operation's deadline on a connection of the pool (see query.ts), the
 * application's `now` passed as a parameter.
 */
import { UnavailableError } from '@sessions/core';
import {
  CONFLICT,
  type Conflict,
  type ErrorKind,
  more,
  type NextPage,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
  type StoredRecord,
} from '@sessions/core/kit';
import type { Pool, QueryResult } from 'pg';
import type { PostgresSettings } from './options.js';
import { SOURCE } from './options.js';
import { runStatement, SESSION_TYPES } from './query.js';
import { createSchemaSql } from './schema.js';
import { PAGE_ROWS, type SessionSql, sessionSql } from './statements.js';

/** One page of a listing; a full one continues after its last key. */
type Listing = StoredEntry[] | NextPage<StoredEntry[]>;

/** A PostgreSQL table (one namespace of it) as a driver. Internal to `PostgresStore`. */
export class PostgresDriver implements StoreDriver {
  readonly pool: Pool;
  readonly #owned: boolean;
  readonly #ns: string;
  readonly #settings: PostgresSettings;
  readonly #sql: SessionSql;
  // Statement names are per table: several stores (and tables) may share one pool.
  readonly #prefix: string;

  constructor(pool: Pool, owned: boolean, namespace: string, settings: PostgresSettings) {
    this.pool = pool;
    this.#owned = owned;
    this.#ns = namespace;
    this.#settings = settings;
    this.#sql = sessionSql(settings.table);
    this.#prefix = `sessions:${settings.table}:`;
  }

  async get(key: string, op: Operation): Promise<StoredRecord | undefined> {
    const { rows } = await this.#run<StoredRecord>(op, 'get', [this.#ns, key, now(op)]);
    return rows[0];
  }

  async set(w: RecordWrite, op: Operation): Promise<number | Conflict> {
    const data = Buffer.from(w.data, 'utf8');
    const row = [this.#ns, w.key, data, w.expiresAt, w.userId ?? null] as unknown[];
    let result: QueryResult<{ version: number }>;
    if (w.ifVersion === undefined) result = await this.#run(op, 'upsert', [...row, now(op)]);
    else if (w.ifVersion === 0) result = await this.#run(op, 'insertIfAbsent', [...row, now(op)]);
    else result = await this.#run(op, 'compareAndSet', [...row, w.ifVersion, now(op)]);
    return result.rows[0]?.version ?? CONFLICT;
  }

  async touch(key: string, expiresAt: number, op: Operation): Promise<boolean> {
    const { rowCount } = await this.#run(op, 'touch', [expiresAt, this.#ns, key, now(op)]);
    return (rowCount ?? 0) > 0;
  }

  async delete(key: string, ifVersion: number | undefined, op: Operation) {
    if (ifVersion === undefined) {
      const { rows } = await this.#run<{ expiresAt: number }>(op, 'deleteKey', [this.#ns, key]);
      const expiresAt = rows[0]?.expiresAt;
      return expiresAt !== undefined && expiresAt > op.now;
    }
    if (ifVersion > 0) {
      const args = [this.#ns, key, ifVersion, now(op)];
      const { rowCount } = await this.#run(op, 'deleteIfVersion', args);
      return (rowCount ?? 0) > 0 || CONFLICT;
    }
    const { rows } = await this.#run<{ live: boolean }>(op, 'deleteIfAbsent', [
      this.#ns,
      key,
      now(op),
    ]);
    return rows[0]?.live ? CONFLICT : false;
  }

  async listByUser(userId: string, op: Operation, after: unknown): Promise<Listing> {
    const args = [this.#ns, userId, now(op), (after as string | undefined) ?? ''];
    return page((await this.#run<StoredEntry>(op, 'listByUser', args)).rows);
  }

  async deleteByUser(userId: string, except: string | undefined, op: Operation) {
    const args = [this.#ns, userId, except ?? null, now(op)];
    const { rows } = await this.#run<{ live: number }>(op, 'deleteByUser', args);
    return rows[0]?.live ?? 0;
  }

  async list(op: Operation, after: unknown): Promise<Listing> {
    const args = [this.#ns, now(op), (after as string | undefined) ?? ''];
    return page((await this.#run<StoredEntry>(op, 'list', args)).rows);
  }

  async clear(op: Operation): Promise<NextPage<void> | undefined> {
    const { rowCount } = await this.#run(op, 'clear', [this.#ns]);
    return rowCount === PAGE_ROWS ? more(undefined, true) : undefined;
  }

  async prune(op: Operation): Promise<number | NextPage<number>> {
    const deleted = (await this.#run(op, 'prune', [this.#ns, now(op)])).rowCount ?? 0;
    return deleted === PAGE_ROWS ? more(deleted, true) : deleted;
  }

  async prepare(op: Operation): Promise<void> {
    if (!this.#settings.createTable) return;
    await runStatement(this.pool, op, { text: createSchemaSql(this.#settings.table) });
  }

  async close(): Promise<void> {
    if (this.#owned) await this.pool.end();
  }

  classify(error: unknown): ErrorKind | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    // undefined_table, undefined_column: the table is missing or is not ours.
    if (code === '42P01' || code === '42703') {
      const { table } = this.#settings;
      return new UnavailableError(
        SOURCE,
        `table "${table}" is missing or was not created by ${SOURCE} (create it with schemaSql(), or pass createTable: true)`,
        { cause: error },
      );
    }
    return undefined;
  }

  #run<R extends object>(
    op: Operation,
    name: keyof SessionSql,
    values: unknown[],
  ): Promise<QueryResult<R>> {
    const statement = {
      name: this.#prefix + name,
      text: this.#sql[name],
      values,
      types: SESSION_TYPES,
    };
    return runStatement<R>(this.pool, op, statement);
  }
}

/**
 * The application's `now` as a whole millisecond: `bigint` parameters take no fraction, and
 * for the whole-millisecond expiries stored `expires_at > floor(now)` is `expires_at > now`.
 */
function now(op: Operation): number {
  return Math.floor(op.now);
}

/** A full page has more after its last key. */
function page(rows: StoredEntry[]): Listing {
  return rows.length === PAGE_ROWS ? more(rows, rows[rows.length - 1]?.key) : rows;
}
