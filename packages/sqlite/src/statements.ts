/**
 * Every SQL statement the store runs, as text (so the benchmark's raw baseline runs exactly the
 * same SQL) and prepared once per store. The table name is the only identifier spliced in; it
 * was validated as a plain identifier. Every value is a bound parameter.
 *
 * Statements with `RETURNING` must be stepped to the end (`.all()`, never `.get()`): SQLite
 * runs its WAL auto-checkpoint only when a statement finishes, so a RETURNING statement that
 * is reset after its first row commits without ever checkpointing, and the -wal file grows
 * without bound (400 MB after 50,000 upserts).
 */
import type { Database, Statement } from 'better-sqlite3';

/** A session row as `get` and `listByUser` read it. */
export interface SessionRow {
  data: unknown;
  expires_at: number;
  user_id: string | null;
  version: number;
}

/** A row of `listByUser`: the key too. */
export interface KeyedSessionRow extends SessionRow {
  key: string;
}

/**
 * The SQL text of every statement, for table `table`. Parameters are positional, in the order
 * each statement's comment gives.
 *
 * @example
 * ```ts
 * const get = db.prepare(sessionSql('sessions').get); // (namespace, key, now)
 * ```
 */
export function sessionSql(table: string) {
  const t = `"${table}"`;
  const columns = '(namespace, key, data, expires_at, user_id, version)';
  return {
    /** (namespace, key, now) → the live row. */
    get: `SELECT data, expires_at, user_id, version FROM ${t} WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /**
     * (namespace, key, data, expiresAt, userId, now) → the new version: the old live version + 1,
     * or 1 when the key was absent or expired. One statement, so concurrent writers serialise.
     */
    upsert: `INSERT INTO ${t} ${columns} VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (namespace, key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,
        user_id = excluded.user_id, version = CASE WHEN ${t}.expires_at > ? THEN ${t}.version + 1 ELSE 1 END
      RETURNING version`,
    /**
     * (namespace, key, data, expiresAt, userId, now): `ifVersion: 0`. Inserts, or replaces an
     * expired row; a live row is left alone and `changes` is 0.
     */
    insertIfAbsent: `INSERT INTO ${t} ${columns} VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (namespace, key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,
        user_id = excluded.user_id, version = 1
      WHERE ${t}.expires_at <= ?`,
    /** (data, expiresAt, userId, namespace, key, ifVersion, now) → the new version, or no row. */
    compareAndSet: `UPDATE ${t} SET data = ?, expires_at = ?, user_id = ?, version = version + 1
      WHERE namespace = ? AND key = ? AND version = ? AND expires_at > ? RETURNING version`,
    /** (namespace, key, ifVersion, now): delete a live row of that version. */
    deleteIfVersion: `DELETE FROM ${t} WHERE namespace = ? AND key = ? AND version = ? AND expires_at > ?`,
    /** (namespace, key, now): whether a live row exists. */
    liveExists: `SELECT 1 FROM ${t} WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /** (namespace, key) → the removed row's expires_at, live or not. */
    deleteKey: `DELETE FROM ${t} WHERE namespace = ? AND key = ? RETURNING expires_at`,
    /** (namespace, key, now): delete only a live row (touch to a past expiry). */
    deleteLive: `DELETE FROM ${t} WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /** (expiresAt, namespace, key, now): move the expiry of a live row. */
    touch: `UPDATE ${t} SET expires_at = ? WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /**
     * (namespace, userId, now) → the user's live rows. The unary `+` keeps the planner on the
     * user index: without statistics it would otherwise pick the expiry index and scan every
     * live session of the namespace.
     */
    listByUser: `SELECT key, data, expires_at, user_id, version FROM ${t}
      WHERE namespace = ? AND user_id = ? AND +expires_at > ?`,
    /** (namespace, now) → every live row of the namespace: a range of the expiry index. */
    list: `SELECT key, data, expires_at, user_id, version FROM ${t} WHERE namespace = ? AND expires_at > ?`,
    /** (namespace, userId) → expires_at of every removed row. */
    deleteByUser: `DELETE FROM ${t} WHERE namespace = ? AND user_id = ? RETURNING expires_at`,
    /** (namespace, userId, exceptKey) → expires_at of every removed row. */
    deleteByUserExcept: `DELETE FROM ${t} WHERE namespace = ? AND user_id = ? AND key <> ? RETURNING expires_at`,
    /** (namespace) */
    clear: `DELETE FROM ${t} WHERE namespace = ?`,
    /**
     * (namespace, now, limit): one bounded batch of expired rows, so a large prune never holds the
     * write lock (or the event loop) for long.
     */
    pruneBatch: `DELETE FROM ${t} WHERE rowid IN
      (SELECT rowid FROM ${t} WHERE namespace = ? AND expires_at <= ? LIMIT ?)`,
  } as const;
}

/** The store's prepared statements. */
export interface SessionStatements {
  get: Statement<[string, string, number], SessionRow>;
  upsert: Statement<[string, string, string, number, string | null, number], number>;
  insertIfAbsent: Statement<[string, string, string, number, string | null, number]>;
  compareAndSet: Statement<[string, number, string | null, string, string, number, number], number>;
  deleteIfVersion: Statement<[string, string, number, number]>;
  liveExists: Statement<[string, string, number], number>;
  deleteKey: Statement<[string, string], number>;
  deleteLive: Statement<[string, string, number]>;
  touch: Statement<[number, string, string, number]>;
  listByUser: Statement<[string, string, number], KeyedSessionRow>;
  list: Statement<[string, number], KeyedSessionRow>;
  deleteByUser: Statement<[string, string], number>;
  deleteByUserExcept: Statement<[string, string, string], number>;
  clear: Statement<[string]>;
  pruneBatch: Statement<[string, number, number]>;
}

/** Prepare every statement once; the table must exist. */
export function prepareStatements(db: Database, table: string): SessionStatements {
  const sql = sessionSql(table);
  return {
    get: db.prepare(sql.get),
    upsert: db
      .prepare<[string, string, string, number, string | null, number], number>(sql.upsert)
      .pluck(),
    insertIfAbsent: db.prepare(sql.insertIfAbsent),
    compareAndSet: db
      .prepare<[string, number, string | null, string, string, number, number], number>(
        sql.compareAndSet,
      )
      .pluck(),
    deleteIfVersion: db.prepare(sql.deleteIfVersion),
    liveExists: db.prepare<[string, string, number], number>(sql.liveExists).pluck(),
    deleteKey: db.prepare<[string, string], number>(sql.deleteKey).pluck(),
    deleteLive: db.prepare(sql.deleteLive),
    touch: db.prepare(sql.touch),
    listByUser: db.prepare(sql.listByUser),
    list: db.prepare(sql.list),
    deleteByUser: db.prepare<[string, string], number>(sql.deleteByUser).pluck(),
    deleteByUserExcept: db
      .prepare<[string, string, string], number>(sql.deleteByUserExcept)
      .pluck(),
    clear: db.prepare(sql.clear),
    pruneBatch: db.prepare(sql.pruneBatch),
  };
}
