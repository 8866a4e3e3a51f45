/**
 * Every SQL statement the store runs, as text (so the benchmark's raw baseline runs exactly the
 * same SQL) and prepared once per store. The table name is the only identifier spliced in; it
 * was validated as a plain identifier. Every value is a bound parameter. Rows come out with the
 * kit's field names (`expires_at AS expiresAt`, `user_id AS userId`): they are handed over as
 * they are, never mapped in JavaScript.
 *
 * Statements with `RETURNING` must be stepped to the end (`.all()`, never `.get()`): SQLite
 * runs its WAL auto-checkpoint only when a statement finishes, so a RETURNING statement that
 * is reset after its first row commits without ever checkpointing, and the -wal file grows
 * without bound (400 MB after 50,000 upserts).
 */
import type { Database, Statement } from 'better-sqlite3';

/** A session row as `get` reads it: a `StoredRecord` of `@sessions/core/kit`. */
export interface SessionRow {
  /** Column `data`: the codec's text. */
  data: string;
  /** Column `expires_at`: absolute expiry, epoch milliseconds. */
  expiresAt: number;
  /** Column `user_id`: the owner, or `null` for an anonymous session. */
  userId: string | null;
  /** Column `version`: 1 on creation, +1 on every write. */
  version: number;
}

/** A row of `listByUser` and `list`: the key too. */
export interface KeyedSessionRow extends SessionRow {
  /** Column `key`: the store key, within the row's namespace. */
  key: string;
}

const ROW = 'data, expires_at AS expiresAt, user_id AS userId, version';

/**
 * The SQL text of every statement, for table `table`. Parameters are positional, in the order
 * each statement's comment gives.
 *
 * @example
 * ```ts
 * const get = db.prepare(sessionSql('sessions').get); // (namespace, key, now) → SessionRow
 * ```
 */
export function sessionSql(table: string) {
  const t = `"${table}"`;
  const insert = `INSERT INTO ${t} (namespace, key, data, expires_at, user_id, version) VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (namespace, key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,
        user_id = excluded.user_id`;
  return {
    /** (namespace, key, now) → the live row. */
    get: `SELECT ${ROW} FROM ${t} WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /**
     * (namespace, key, data, expiresAt, userId, now) → the new version: the old live version + 1,
     * or 1 when the key was absent or expired. One statement, so concurrent writers serialise.
     */
    upsert: `${insert}, version = CASE WHEN ${t}.expires_at > ? THEN ${t}.version + 1 ELSE 1 END
      RETURNING version`,
    /**
     * (namespace, key, data, expiresAt, userId, now): `ifVersion: 0`. Inserts, or replaces an
     * expired row; a live row is left alone and `changes` is 0.
     */
    insertIfAbsent: `${insert}, version = 1 WHERE ${t}.expires_at <= ?`,
    /** (data, expiresAt, userId, namespace, key, ifVersion, now) → the new version, or no row. */
    compareAndSet: `UPDATE ${t} SET data = ?, expires_at = ?, user_id = ?, version = version + 1
      WHERE namespace = ? AND key = ? AND version = ? AND expires_at > ? RETURNING version`,
    /** (namespace, key, ifVersion, now): delete a live row of that version. */
    deleteIfVersion: `DELETE FROM ${t} WHERE namespace = ? AND key = ? AND version = ? AND expires_at > ?`,
    /** (namespace, key, now): whether a live row exists. */
    liveExists: `SELECT 1 FROM ${t} WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /** (namespace, key, now): delete the row only if it has expired. */
    deleteExpired: `DELETE FROM ${t} WHERE namespace = ? AND key = ? AND expires_at <= ?`,
    /** (namespace, key) → the removed row's expires_at, live or not. */
    deleteKey: `DELETE FROM ${t} WHERE namespace = ? AND key = ? RETURNING expires_at`,
    /** (expiresAt, namespace, key, now): move the expiry of a live row. */
    touch: `UPDATE ${t} SET expires_at = ? WHERE namespace = ? AND key = ? AND expires_at > ?`,
    /**
     * (namespace, userId, now) → the user's live rows. The unary `+` keeps the planner on the
     * user index: without statistics it would otherwise pick the expiry index and scan every
     * live session of the namespace.
     */
    listByUser: `SELECT key, ${ROW} FROM ${t} WHERE namespace = ? AND user_id = ? AND +expires_at > ?`,
    /** (namespace, now) → every live row of the namespace: a range of the expiry index. */
    list: `SELECT key, ${ROW} FROM ${t} WHERE namespace = ? AND expires_at > ?`,
    /** (namespace, userId, exceptKey) → expires_at of every removed row (`exceptKey` may be null). */
    deleteByUser: `DELETE FROM ${t} WHERE namespace = ? AND user_id = ? AND key IS NOT ? RETURNING expires_at`,
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

type Key = [namespace: string, key: string];
type Write = [...Key, data: string, expiresAt: number, userId: string | undefined, now: number];

/** The store's prepared statements (see {@link sessionSql} for each one's parameters). */
export interface SessionStatements {
  get: Statement<[...Key, number], SessionRow>;
  upsert: Statement<Write, number>;
  insertIfAbsent: Statement<Write>;
  compareAndSet: Statement<[string, number, string | undefined, ...Key, number, number], number>;
  deleteIfVersion: Statement<[...Key, number, number]>;
  liveExists: Statement<[...Key, number], number>;
  deleteExpired: Statement<[...Key, number]>;
  deleteKey: Statement<Key, number>;
  touch: Statement<[number, ...Key, number]>;
  listByUser: Statement<[string, string, number], KeyedSessionRow>;
  list: Statement<[string, number], KeyedSessionRow>;
  deleteByUser: Statement<[string, string, string | null], number>;
  clear: Statement<[string]>;
  pruneBatch: Statement<[string, number, number]>;
}

// The statements that yield one value per row (a version, an expiry): prepared with `.pluck()`.
const PLUCKED = new Set(['upsert', 'compareAndSet', 'liveExists', 'deleteKey', 'deleteByUser']);

/** Prepare every statement of {@link sessionSql} once; the table must exist. */
export function prepareStatements(db: Database, table: string): SessionStatements {
  const prepared = Object.entries(sessionSql(table)).map(([name, text]) => {
    const statement = db.prepare(text);
    return [name, PLUCKED.has(name) ? statement.pluck() : statement];
  });
  return Object.fromEntries(prepared) as SessionStatements;
}
