/**
 * All of the store's SQL, the schema included, as text (the benchmark's raw baseline runs the
 * very same), with only the table name spliced in (validated as a plain identifier): every value
 * is bound. Rows come out with the kit's field names, handed over as they are. RETURNING
 * statements are stepped to the end (`.all()`, never `.get()`): SQLite auto-checkpoints the WAL
 * only when a statement finishes; without that the -wal file grows without bound (400 MB after
 * 50,000 upserts).
 */
import type { Database, Statement } from 'better-sqlite3';
import { SOURCE, unavailable } from './options.js';

/** The schema version this release creates and understands. */
export const SCHEMA_VERSION = 1;

/**
 * The schema of version 1: the table (primary key = namespace + key), the index that makes
 * pruning a range scan, and the user index (partial: anonymous sessions cost it nothing).
 *
 * @example
 * ```ts
 * db.exec(createTableSql('sessions'));
 * ```
 */
export function createTableSql(table: string): string {
  return `CREATE TABLE "${table}" (
  namespace  TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  user_id    TEXT,
  version    INTEGER NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX "${table}_expires" ON "${table}" (namespace, expires_at);
CREATE INDEX "${table}_user" ON "${table}" (namespace, user_id) WHERE user_id IS NOT NULL;`;
}

// Migration n (1-based) brings the schema from version n - 1 to n. Append, never edit.
const MIGRATIONS: ReadonlyArray<(table: string) => string> = [createTableSql];

/**
 * Create or upgrade the schema. Its version is kept in `<table>_meta`, not `PRAGMA user_version`,
 * which belongs to the whole file (maybe to the application). Cheap when current; otherwise one
 * IMMEDIATE transaction, so processes starting together migrate once. May throw SQLITE_BUSY.
 */
export function migrate(db: Database, table: string): void {
  const meta = `"${table}_meta"`;
  const exists = db
    .prepare<[string], number>("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .pluck();
  const version = (): number => {
    if (exists.get(`${table}_meta`) === undefined) return 0;
    const stored = db.prepare(`SELECT value FROM ${meta} WHERE name = 'schema_version'`).pluck();
    const found = (stored.get() as number | undefined) ?? 0;
    if (found <= SCHEMA_VERSION) return found;
    throw unavailable(
      `table "${table}" has schema version ${found}, newer than this release of ${SOURCE} understands (${SCHEMA_VERSION}); upgrade the package`,
    );
  };
  if (version() === SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = version();
    if (current === SCHEMA_VERSION) return;
    if (current === 0 && exists.get(table) !== undefined) {
      throw unavailable(
        `a table "${table}" exists but was not created by ${SOURCE} (there is no "${table}_meta"); choose another \`table\``,
      );
    }
    db.exec(`CREATE TABLE IF NOT EXISTS ${meta} (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v - 1]!(table));
    db.prepare(
      `INSERT INTO ${meta} (name, value) VALUES ('schema_version', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(SCHEMA_VERSION);
  }).immediate();
}

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
    /** (namespace, key, data, expiresAt, userId, now) → old live version + 1, else 1; atomic. */
    upsert: `${insert}, version = CASE WHEN ${t}.expires_at > ? THEN ${t}.version + 1 ELSE 1 END
      RETURNING version`,
    /** (namespace, key, data, expiresAt, userId, now) → 1, or no row when a live row stays. */
    insertIfAbsent: `${insert}, version = 1 WHERE ${t}.expires_at <= ? RETURNING version`,
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
    /** (namespace, userId, now) → the user's live rows (`+` keeps the planner on the user index). */
    listByUser: `SELECT key, ${ROW} FROM ${t} WHERE namespace = ? AND user_id = ? AND +expires_at > ?`,
    /** (namespace, now) → every live row of the namespace: a range of the expiry index. */
    list: `SELECT key, ${ROW} FROM ${t} WHERE namespace = ? AND expires_at > ?`,
    /** (namespace, userId, exceptKey or null) → expires_at of every removed row. */
    deleteByUser: `DELETE FROM ${t} WHERE namespace = ? AND user_id = ? AND key IS NOT ? RETURNING expires_at`,
    /** (namespace) */
    clear: `DELETE FROM ${t} WHERE namespace = ?`,
    /** (namespace, now, limit): one bounded batch of expired rows (a short write lock). */
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
  insertIfAbsent: Statement<Write, number>;
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

// The statements that yield one value per row (a version, an expiry) are plucked.
const PLUCKED = [
  'upsert',
  'insertIfAbsent',
  'compareAndSet',
  'liveExists',
  'deleteKey',
  'deleteByUser',
];

/** Prepare every statement of {@link sessionSql} once (the table must exist). */
export function prepareStatements(db: Database, table: string): SessionStatements {
  const prepared = Object.entries(sessionSql(table)).map(([name, text]) => {
    const statement = db.prepare(text);
    return [name, PLUCKED.includes(name) ? statement.pluck() : statement];
  });
  return Object.fromEntries(prepared) as SessionStatements;
}
