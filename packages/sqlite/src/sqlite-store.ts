/**
 * The SQLite session store on better-sqlite3: one row per session, every operation one
 * prepared statement (or one IMMEDIATE transaction), expiry decided in SQL by the
 * application's clock, lock waits that never block the event loop.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
  type DeleteByUserOptions,
  decodeData,
  encodeData,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
  StoreLifecycle,
  toSessionError,
} from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { busyTimeoutOf, configureOwnedFile, openDatabase } from './connection.js';
import { FileGuard } from './file-guard.js';
import { isLockError, LockGate } from './lock-gate.js';
import { checkpoint, vacuumStep } from './maintenance.js';
import {
  type ResolvedSqliteOptions,
  resolveSqliteOptions,
  SOURCE,
  type SqliteStoreOptions,
} from './options.js';
import { PruneTimer } from './prune-timer.js';
import { migrate } from './schema.js';
import { prepareStatements, type SessionRow, type SessionStatements } from './statements.js';
import { type RecordWrite, writeRecord } from './write-record.js';

// SQLite's own limit on a string or blob (SQLITE_MAX_LENGTH as better-sqlite3 builds it).
const SQLITE_MAX_LENGTH = 1_000_000_000;
// Rows deleted per prune statement: a few milliseconds of write lock each.
const PRUNE_BATCH_ROWS = 1000;

/**
 * Apply `fn` to a result that may still be pending. Most operations finish synchronously (no
 * lock to wait for): they skip the extra promise and microtask an `await` would cost.
 */
function then<T, R>(value: T | Promise<T>, fn: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * A {@link SessionStore} in a SQLite database, through better-sqlite3 (12.x).
 *
 * Safe for several processes on one host sharing a file (WAL mode, compare-and-set in SQL);
 * not for network file systems. Expired rows are deleted by `prune()`, which an unref'd timer
 * runs every `pruneInterval`; `close()` stops it and closes a database the store opened.
 *
 * @example
 * ```ts
 * import { SqliteStore } from '@sessions/sqlite';
 * const store = new SqliteStore({ database: './sessions.db' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 3_600_000 });
 * (await store.get('k1'))?.data; // { cart: [] }
 * await store.close();
 * ```
 */
export class SqliteStore<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  /**
   * The connection in use: the one passed as `database`, or the one the store opened (and
   * closes). For inspection and backups (`store.database.backup(path)`); a long transaction
   * on it holds the lock every other process then waits for.
   */
  readonly database: Database;
  readonly #opts: ResolvedStoreOptions<D>;
  readonly #sqlite: ResolvedSqliteOptions;
  readonly #db: Database;
  readonly #owned: boolean;
  readonly #ownedFile: boolean;
  readonly #guard: FileGuard;
  readonly #lifecycle = new StoreLifecycle(SOURCE);
  // Reads and writes wait separately: in WAL mode a write lock held elsewhere never blocks reads.
  readonly #reads: LockGate;
  readonly #writes: LockGate;
  #statements: SessionStatements | undefined;
  readonly #pruneTimer: PruneTimer | undefined;

  constructor(options: SqliteStoreOptions<D>) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`[${SOURCE}] options with a \`database\` are required`);
    }
    this.#opts = resolveStoreOptions(options, SOURCE, SQLITE_MAX_LENGTH);
    this.#sqlite = resolveSqliteOptions(options);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    const opened = openDatabase(options.database);
    this.#db = opened.db;
    this.database = opened.db;
    this.#owned = opened.owned;
    this.#ownedFile = opened.owned && opened.file !== undefined;
    this.#guard = new FileGuard(opened.file, SOURCE);
    const gate = {
      source: SOURCE,
      timeoutMs: this.#sqlite.operationTimeout,
      busyTimeoutMs: busyTimeoutOf(opened),
    };
    this.#reads = new LockGate(gate);
    this.#writes = new LockGate(gate);
    this.#prepareEagerly();
    if (this.#sqlite.pruneInterval > 0) {
      this.#pruneTimer = new PruneTimer(() => this.prune(), this.#sqlite.pruneInterval);
    }
  }

  async get(key: string): Promise<SessionRecord<D> | undefined> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    // The hot path: one closure, no await when no lock is in the way.
    const row = this.#reads.run(() => this.#getRow(key), 'get');
    if (row instanceof Promise) return row.then((found) => this.#toLiveRecord(key, found));
    return this.#toLiveRecord(key, row);
  }

  async set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    this.#lifecycle.assertOpen();
    const ifVersion = options?.ifVersion;
    assertValidSet<D>(key, record, ifVersion, SOURCE);
    const data = encodeData(this.#opts, record.data);
    const write: RecordWrite = {
      namespace: this.#opts.namespace,
      key,
      data,
      expiresAt: record.expiresAt,
      userId: record.userId ?? null,
      ifVersion,
    };
    const version = this.#write('set', (sql) =>
      writeRecord(this.#db, sql, write, this.#opts.clock()),
    );
    return then(version, (v) => ({ version: v }));
  }

  async touch(key: string, expiresAt: number): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    assertValidExpiresAt(expiresAt, SOURCE);
    const ns = this.#opts.namespace;
    return this.#write('touch', (sql) => {
      const now = this.#opts.clock();
      // Touching to a past expiry ends the session now: the row goes, as `set` would do.
      const result =
        expiresAt > now ? sql.touch.run(expiresAt, ns, key, now) : sql.deleteLive.run(ns, key, now);
      return result.changes > 0;
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    return this.#write('delete', (sql) => {
      const expiresAt = sql.deleteKey.all(this.#opts.namespace, key)[0];
      return expiresAt !== undefined && expiresAt > this.#opts.clock();
    });
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const rows = this.#read('listByUser', (sql) =>
      sql.listByUser.all(this.#opts.namespace, userId, this.#opts.clock()),
    );
    return then(rows, (found) =>
      found.map((row) => ({ key: row.key, record: this.#toRecord(row.key, row) })),
    );
  }

  /** Every live session of this namespace: a scan of the namespace, for admin views. */
  async list(): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    const rows = this.#read('list', (sql) =>
      sql.list.all(this.#opts.namespace, this.#opts.clock()),
    );
    return then(rows, (found) =>
      found.map((row) => ({ key: row.key, record: this.#toRecord(row.key, row) })),
    );
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const except = options?.except;
    if (except !== undefined) assertValidKey(except, SOURCE);
    const ns = this.#opts.namespace;
    return this.#write('deleteByUser', (sql) => {
      const removed =
        except === undefined
          ? sql.deleteByUser.all(ns, userId)
          : sql.deleteByUserExcept.all(ns, userId, except);
      const now = this.#opts.clock();
      return removed.filter((expiresAt) => expiresAt > now).length;
    });
  }

  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    await this.#write('clear', (sql) => sql.clear.run(this.#opts.namespace));
  }

  /**
   * Delete this namespace's expired rows now, in batches of 1000 (each its own short write
   * transaction, with the event loop free in between), then, on a file the store opened,
   * return free pages to the file system and checkpoint the WAL. Resolves to the rows deleted.
   */
  async prune(): Promise<number> {
    this.#lifecycle.assertOpen();
    const ns = this.#opts.namespace;
    const now = this.#opts.clock();
    let total = 0;
    for (;;) {
      const deleted = await this.#write(
        'prune',
        (sql) => sql.pruneBatch.run(ns, now, PRUNE_BATCH_ROWS).changes,
      );
      total += deleted;
      if (deleted < PRUNE_BATCH_ROWS) break;
      await yieldToEventLoop();
      this.#lifecycle.assertOpen();
    }
    if (this.#ownedFile && total > 0) {
      while (await this.#writes.run(() => vacuumStep(this.#db), 'prune')) {
        await yieldToEventLoop();
        this.#lifecycle.assertOpen();
      }
      await this.#writes.run(() => checkpoint(this.#db), 'prune');
    }
    return total;
  }

  async close(): Promise<void> {
    if (!this.#lifecycle.close()) return;
    this.#pruneTimer?.stop();
    this.#reads.close();
    this.#writes.close();
    this.#guard.close();
    if (!this.#owned) return;
    try {
      this.#db.close();
    } catch (err) {
      throw toSessionError(err, SOURCE, 'close');
    }
  }

  #getRow(key: string): SessionRow | undefined {
    this.#guard.assertUsable();
    return this.#ready().get.get(this.#opts.namespace, key, this.#opts.clock());
  }

  #toLiveRecord(key: string, row: SessionRow | undefined): SessionRecord<D> | undefined {
    return row === undefined ? undefined : this.#toRecord(key, row);
  }

  /** A read: waits for locks without blocking; fails once the file is known to be gone. */
  #read<T>(operation: string, work: (sql: SessionStatements) => T): T | Promise<T> {
    return this.#reads.run(() => {
      this.#guard.assertUsable();
      return work(this.#ready());
    }, operation);
  }

  /** A write: acknowledged only once the file it went to is known to be the real one. */
  #write<T>(operation: string, work: (sql: SessionStatements) => T): T | Promise<T> {
    return this.#writes.run(() => {
      this.#guard.assertUsable();
      const result = work(this.#ready());
      this.#guard.check();
      return result;
    }, operation);
  }

  /** The prepared statements, after creating or migrating the schema on first use. */
  #ready(): SessionStatements {
    if (this.#statements === undefined) {
      if (this.#ownedFile) configureOwnedFile(this.#db, this.#sqlite.synchronous);
      migrate(this.#db, this.#sqlite.table);
      this.#statements = prepareStatements(this.#db, this.#sqlite.table);
    }
    return this.#statements;
  }

  /**
   * Create the schema now if no other connection holds a lock, so a misconfiguration (a file
   * that is not a database, a foreign table of the same name) fails the constructor. When the
   * file is locked, the first operation does it, waiting like any other.
   */
  #prepareEagerly(): void {
    try {
      this.#ready();
    } catch (err) {
      if (isLockError(err)) return;
      this.#guard.close();
      if (this.#owned) this.#db.close();
      throw toSessionError(err, SOURCE, 'preparing the database');
    }
  }

  #toRecord(key: string, row: SessionRow): SessionRecord<D> {
    const record: SessionRecord<D> = {
      data: decodeData(this.#opts, row.data, key),
      expiresAt: row.expires_at,
      version: row.version,
    };
    if (row.user_id !== null) record.userId = row.user_id;
    return record;
  }
}
