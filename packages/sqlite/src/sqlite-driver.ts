/**
 * SQLite's primitives for the store kit: one prepared statement per operation, expiry decided
 * in SQL by the operation's `now`, rows returned as the kit reads them. Every primitive is
 * synchronous (better-sqlite3) and returns its value directly, unless a lock held by another
 * connection makes it wait in the lock gate.
 */
import { isSessionError, UnavailableError } from '@sessions/core';
import {
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
import { configureOwnedFile, type OpenedDatabase } from './connection.js';
import { FileGuard } from './file-guard.js';
import { isLockError, LockGate } from './lock-gate.js';
import { checkpoint, vacuumStep } from './maintenance.js';
import { SOURCE, type SqliteSettings } from './options.js';
import { migrate } from './schema.js';
import { prepareStatements, type SessionRow, type SessionStatements } from './statements.js';

// Rows deleted per prune page: a few milliseconds of write lock each.
const PRUNE_BATCH_ROWS = 1000;

/** Where a prune is: deleting batches (after the first), or handing free pages back. */
type PruneStep = 'rows' | 'vacuum';

/** A SQLite table (one namespace of it) as a driver. Internal to `SqliteStore`. */
export class SqliteDriver implements StoreDriver {
  readonly db: Database;
  readonly #ns: string;
  readonly #settings: SqliteSettings;
  readonly #owned: boolean;
  readonly #ownedFile: boolean;
  readonly #guard: FileGuard;
  // Reads and writes wait separately: in WAL mode a write lock held elsewhere never blocks reads.
  readonly #reads: LockGate<SessionStatements>;
  readonly #writes: LockGate<SessionStatements>;
  readonly #timeoutMs: number;
  #sql: SessionStatements | undefined;

  constructor(
    opened: OpenedDatabase,
    namespace: string,
    settings: SqliteSettings,
    timeoutMs: number,
  ) {
    this.db = opened.db;
    this.#ns = namespace;
    this.#settings = settings;
    this.#owned = opened.owned;
    this.#ownedFile = opened.owned && opened.file !== undefined;
    this.#timeoutMs = timeoutMs;
    this.#guard = new FileGuard(opened.file);
    // Every attempt fails once the file is known to be gone; a write is acknowledged only once
    // the file it went to is known to be the real one.
    const enter = () => {
      this.#guard.assertUsable();
      return this.#sql ?? this.#ready();
    };
    this.#reads = new LockGate(opened.busyTimeoutMs, enter);
    this.#writes = new LockGate(opened.busyTimeoutMs, enter, () => this.#guard.check());
    this.#prepareEagerly();
  }

  get(key: string, op: Operation): SessionRow | undefined | Promise<SessionRow | undefined> {
    return this.#reads.run(op, (sql) => sql.get.get(this.#ns, key, op.now));
  }

  set(w: RecordWrite, op: Operation): number | Conflict | Promise<number | Conflict> {
    return this.#writes.run(op, (sql) => {
      const { key, data, expiresAt, userId, ifVersion } = w;
      if (ifVersion === undefined) {
        // Version = the old live version + 1, or 1 when absent or expired, in one statement.
        return sql.upsert.all(this.#ns, key, data, expiresAt, userId, op.now)[0] as number;
      }
      if (ifVersion === 0) {
        // Insert, or replace an expired row; a live row stays and nothing changes.
        const { changes } = sql.insertIfAbsent.run(this.#ns, key, data, expiresAt, userId, op.now);
        return changes === 0 ? CONFLICT : 1;
      }
      const args = [data, expiresAt, userId, this.#ns, key, ifVersion, op.now] as const;
      return sql.compareAndSet.all(...args)[0] ?? CONFLICT;
    });
  }

  touch(key: string, expiresAt: number, op: Operation): boolean | Promise<boolean> {
    return this.#writes.run(
      op,
      (sql) => sql.touch.run(expiresAt, this.#ns, key, op.now).changes > 0,
    );
  }

  delete(key: string, ifVersion: number | undefined, op: Operation) {
    return this.#writes.run(op, (sql): boolean | Conflict => {
      if (ifVersion === undefined) {
        const expiresAt = sql.deleteKey.all(this.#ns, key)[0];
        return expiresAt !== undefined && expiresAt > op.now;
      }
      if (ifVersion > 0) {
        return sql.deleteIfVersion.run(this.#ns, key, ifVersion, op.now).changes > 0 || CONFLICT;
      }
      // "Must not exist": a live row is a conflict; an expired one goes (only if still expired).
      if (sql.liveExists.get(this.#ns, key, op.now) !== undefined) return CONFLICT;
      sql.deleteExpired.run(this.#ns, key, op.now);
      return false;
    });
  }

  listByUser(userId: string, op: Operation): Paged<StoredEntry[]> {
    return this.#reads.run(op, (sql) => sql.listByUser.all(this.#ns, userId, op.now));
  }

  deleteByUser(userId: string, except: string | undefined, op: Operation): Paged<number> {
    return this.#writes.run(op, (sql) => {
      const removed = sql.deleteByUser.all(this.#ns, userId, except ?? null);
      let live = 0;
      for (const expiresAt of removed) if (expiresAt > op.now) live++;
      return live;
    });
  }

  list(op: Operation): Paged<StoredEntry[]> {
    return this.#reads.run(op, (sql) => sql.list.all(this.#ns, op.now));
  }

  clear(op: Operation): Paged<void> {
    return this.#writes.run(op, (sql) => {
      sql.clear.run(this.#ns);
    });
  }

  /**
   * One page of a prune: a batch of expired rows, each its own short write transaction; then,
   * on a file the store opened and when rows went, free pages handed back to the file system
   * a step at a time and the WAL checkpointed (see maintenance.ts).
   */
  prune(op: Operation, step: PruneStep | undefined): Paged<number> {
    return this.#writes.run(op, (sql) => {
      if (step !== 'vacuum') {
        const deleted = sql.pruneBatch.run(this.#ns, op.now, PRUNE_BATCH_ROWS).changes;
        if (deleted === PRUNE_BATCH_ROWS) return more(deleted, 'rows' satisfies PruneStep);
        const pruned = deleted > 0 || step === 'rows';
        return this.#ownedFile && pruned ? more(deleted, 'vacuum' satisfies PruneStep) : deleted;
      }
      if (vacuumStep(this.db)) return more(0, 'vacuum' satisfies PruneStep);
      checkpoint(this.db);
      return 0;
    });
  }

  close(): void {
    this.#reads.close();
    this.#writes.close();
    this.#guard.close();
    if (this.#owned) this.db.close();
  }

  /**
   * SQLite's errors as the kit should report them. A lock error only reaches the kit when the
   * gate gave up at the operation's deadline: another connection held the lock all along.
   */
  classify(error: unknown): ErrorKind | undefined {
    if (isLockError(error)) {
      return new UnavailableError(
        SOURCE,
        `another connection held the database lock for longer than operationTimeout (${this.#timeoutMs} ms)`,
        { cause: error },
      );
    }
    // A connection passed in and closed by its owner: the database is gone, not a bug here.
    if (error instanceof TypeError && !this.db.open) return 'unavailable';
    const code = (error as { code?: unknown } | null)?.code;
    // SQLite's own names for a misuse of its API: a defect, not an outage.
    if (code === 'SQLITE_MISUSE' || code === 'SQLITE_RANGE') return 'bug';
    return undefined;
  }

  /** The prepared statements, after configuring the file and migrating the schema. */
  #ready(): SessionStatements {
    if (this.#ownedFile) configureOwnedFile(this.db, this.#settings.synchronous);
    migrate(this.db, this.#settings.table);
    this.#sql = prepareStatements(this.db, this.#settings.table);
    return this.#sql;
  }

  /**
   * Create the schema now if no other connection holds a lock, so a misconfiguration (a file
   * that is not a database, a foreign table of the same name) fails the constructor. When the
   * file is locked, the first operation does it, waiting in the gate like any other.
   */
  #prepareEagerly(): void {
    try {
      this.#ready();
    } catch (err) {
      if (isLockError(err)) return;
      this.close();
      if (isSessionError(err) || isProgrammerError(err)) throw err;
      throw new UnavailableError(SOURCE, `preparing the database failed: ${describeError(err)}`, {
        cause: err,
      });
    }
  }
}
