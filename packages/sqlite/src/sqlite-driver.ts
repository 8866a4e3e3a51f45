/**
 * SQLite's primitives for the store kit: one prepared statement per operation, expiry decided in
 * SQL by the operation's `now`, rows returned as the kit reads them. better-sqlite3 is
 * synchronous: every primitive returns its value directly, unless a lock held by another
 * connection makes it wait in a lock gate.
 */
import { isSessionError } from '@sessions/core';
import {
  type Awaitable,
  CONFLICT,
  type Conflict,
  describeError,
  type ErrorKind,
  isProgrammerError,
  more,
  type Operation,
  type Paged,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
} from '@sessions/core/kit';
import type { Database } from 'better-sqlite3';
import { configureOwnedFile, type OpenedDatabase, shrinkStep } from './connection.js';
import { FileGuard } from './file-guard.js';
import { isLockError, LockGate } from './lock-gate.js';
import { type SqliteSettings, unavailable } from './options.js';
import { migrate, prepareStatements, type SessionStatements } from './statements.js';

// Rows deleted per prune page: a few milliseconds of write lock each.
const PRUNE_BATCH_ROWS = 1000;

/** A SQLite table (one namespace of it) as a driver. Internal to `SqliteStore`. */
export class SqliteDriver implements StoreDriver {
  readonly db: Database;
  /** A file the store opened: configured by it, and shrunk after a prune. */
  readonly #ownedFile: boolean;
  readonly #guard: FileGuard;
  // Reads and writes wait apart: in WAL mode a write lock held elsewhere never blocks reads.
  readonly #reads: LockGate<SessionStatements>;
  readonly #writes: LockGate<SessionStatements>;
  #sql: SessionStatements | undefined;

  constructor(
    private readonly opened: OpenedDatabase,
    private readonly ns: string,
    private readonly settings: SqliteSettings,
  ) {
    this.db = opened.db;
    this.#ownedFile = opened.owned && opened.file !== undefined;
    this.#guard = new FileGuard(opened.file);
    // Nothing runs once the file is known to be lost; a write is acknowledged only once the
    // file it went to is known to be the real one.
    const enter = () => {
      this.#guard.assertUsable();
      return this.#sql ?? this.#ready();
    };
    this.#reads = new LockGate(opened.busyTimeoutMs, enter);
    this.#writes = new LockGate(opened.busyTimeoutMs, enter, () => this.#guard.check());
    this.#prepareEagerly();
  }

  get(key: string, op: Operation) {
    return this.#reads.run(op, (sql) => sql.get.get(this.ns, key, op.now));
  }

  set(w: RecordWrite, op: Operation): Awaitable<number | Conflict> {
    return this.#writes.run(op, (sql) => {
      const { key, data, expiresAt, userId, ifVersion } = w;
      if (ifVersion === undefined) {
        return sql.upsert.all(this.ns, key, data, expiresAt, userId, op.now)[0] as number;
      }
      if (ifVersion === 0) {
        return sql.insertIfAbsent.all(this.ns, key, data, expiresAt, userId, op.now)[0] ?? CONFLICT;
      }
      const args = [data, expiresAt, userId, this.ns, key, ifVersion, op.now] as const;
      return sql.compareAndSet.all(...args)[0] ?? CONFLICT;
    });
  }

  touch(key: string, expiresAt: number, op: Operation): Awaitable<boolean> {
    return this.#writes.run(
      op,
      (sql) => sql.touch.run(expiresAt, this.ns, key, op.now).changes > 0,
    );
  }

  delete(key: string, ifVersion: number | undefined, op: Operation) {
    return this.#writes.run(op, (sql): boolean | Conflict => {
      if (ifVersion === undefined) {
        const expiresAt = sql.deleteKey.all(this.ns, key)[0];
        return expiresAt !== undefined && expiresAt > op.now;
      }
      if (ifVersion > 0) {
        return sql.deleteIfVersion.run(this.ns, key, ifVersion, op.now).changes > 0 || CONFLICT;
      }
      // "Must not exist": a live row is a conflict; an expired one goes (only if still expired).
      if (sql.liveExists.get(this.ns, key, op.now) !== undefined) return CONFLICT;
      sql.deleteExpired.run(this.ns, key, op.now);
      return false;
    });
  }

  listByUser(userId: string, op: Operation): Paged<StoredEntry[]> {
    return this.#reads.run(op, (sql) => sql.listByUser.all(this.ns, userId, op.now));
  }

  deleteByUser(userId: string, except: string | undefined, op: Operation): Paged<number> {
    return this.#writes.run(op, (sql) => {
      const removed = sql.deleteByUser.all(this.ns, userId, except ?? null);
      return removed.filter((expiresAt) => expiresAt > op.now).length;
    });
  }

  list(op: Operation): Paged<StoredEntry[]> {
    return this.#reads.run(op, (sql) => sql.list.all(this.ns, op.now));
  }

  clear(op: Operation): Paged<void> {
    return this.#writes.run(op, (sql) => void sql.clear.run(this.ns));
  }

  /**
   * One page of a prune: a batch of expired rows (`'rows'` after the first), each its own short
   * write transaction; then, on a file the store opened and when rows went, `'shrink'` steps.
   */
  prune(op: Operation, step: 'rows' | 'shrink' | undefined): Paged<number> {
    return this.#writes.run(op, (sql) => {
      if (step === 'shrink') return shrinkStep(this.db) ? more(0, step) : 0;
      const deleted = sql.pruneBatch.run(this.ns, op.now, PRUNE_BATCH_ROWS).changes;
      if (deleted === PRUNE_BATCH_ROWS) return more(deleted, 'rows');
      const pruned = deleted > 0 || step === 'rows';
      return this.#ownedFile && pruned ? more(deleted, 'shrink') : deleted;
    });
  }

  close(): void {
    this.#reads.close();
    this.#writes.close();
    this.#guard.close();
    if (this.opened.owned) this.db.close();
  }

  /**
   * SQLite's errors as the kit should report them. A lock error only reaches the kit when the
   * gate gave up at the operation's deadline: another connection held the lock all along.
   */
  classify(error: unknown): ErrorKind | undefined {
    if (isLockError(error)) {
      const ms = this.settings.operationTimeout;
      return unavailable(
        `another connection held the database lock for longer than operationTimeout (${ms} ms)`,
        error,
      );
    }
    // A connection passed in and closed by its owner: the database is gone, not a bug here.
    if (error instanceof TypeError && !this.db.open) return 'unavailable';
    const code = (error as { code?: unknown } | null)?.code;
    // SQLite's own names for a misuse of its API: a defect, not an outage.
    return code === 'SQLITE_MISUSE' || code === 'SQLITE_RANGE' ? 'bug' : undefined;
  }

  /** The prepared statements, after configuring the file and migrating the schema. */
  #ready(): SessionStatements {
    if (this.#ownedFile) configureOwnedFile(this.db, this.settings.synchronous);
    migrate(this.db, this.settings.table);
    this.#sql = prepareStatements(this.db, this.settings.table);
    return this.#sql;
  }

  /**
   * Create the schema now, so a misconfiguration (a file that is not a database, a foreign
   * table of the same name) fails the constructor; if another connection holds a lock, the
   * first operation does it instead, waiting in the gate.
   */
  #prepareEagerly(): void {
    try {
      this.#ready();
    } catch (err) {
      if (isLockError(err)) return;
      this.close();
      if (isSessionError(err) || isProgrammerError(err)) throw err;
      throw unavailable(`preparing the database failed: ${describeError(err)}`, err);
    }
  }
}
