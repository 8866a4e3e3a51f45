/**
 * Every SQL statement the store runs, one per operation, as text (so the benchmark's raw
 * baseline runs exactly the same SQL). The table name is the only identifier spliced in; it was
 * validated as a plain identifier. Every value is a bound parameter, the application's `now`
 * included: PostgreSQL's own `now()` never decides what is live. Rows come out with the kit's
 * field names (`expires_at AS "expiresAt"`), handed over as they are.
 *
 * Compare-and-set is atomic across processes because each write is one statement: under READ
 * COMMITTED, a concurrent `UPDATE … WHERE version = $n` waits for the other writer's row lock
 * and re-checks its condition on the row that writer left, and `INSERT … ON CONFLICT` does the
 * same on the primary key.
 */

const ROW = `data, expires_at AS "expiresAt", user_id AS "userId", version`;
/** Rows per page of `list`, `listByUser`, `clear` and `prune`. */
export const PAGE_ROWS = 1000;

/**
 * The SQL text of every statement, for table `table`. Parameters are positional; each
 * statement's comment gives them in order.
 *
 * @example
 * ```ts
 * const { get } = sessionSql('sessions');
 * await pool.query(get, ['sessions', key, Date.now()]); // (namespace, key, now) → the live row
 * ```
 */
export function sessionSql(table: string) {
  const t = `"${table}"`;
  const insert = `INSERT INTO ${t} AS s (namespace, key, data, expires_at, user_id, version)
    VALUES ($1, $2, $3, $4, $5, 1)
    ON CONFLICT (namespace, key) DO UPDATE SET data = EXCLUDED.data,
      expires_at = EXCLUDED.expires_at, user_id = EXCLUDED.user_id`;
  return {
    /** (namespace, key, now) → the live row. */
    get: `SELECT ${ROW} FROM ${t} WHERE namespace = $1 AND key = $2 AND expires_at > $3`,
    /**
     * (namespace, key, data, expiresAt, userId, now) → the new version: the old live version
     * + 1, or 1 when the key was absent or expired.
     */
    upsert: `${insert}, version = CASE WHEN s.expires_at > $6 THEN s.version + 1 ELSE 1 END
    RETURNING version`,
    /** (namespace, key, data, expiresAt, userId, now): `ifVersion: 0`; no row when a live one is there. */
    insertIfAbsent: `${insert}, version = 1 WHERE s.expires_at <= $6 RETURNING version`,
    /** (namespace, key, data, expiresAt, userId, ifVersion, now) → the new version, or no row. */
    compareAndSet: `UPDATE ${t} SET data = $3, expires_at = $4, user_id = $5, version = version + 1
    WHERE namespace = $1 AND key = $2 AND version = $6 AND expires_at > $7 RETURNING version`,
    /** (expiresAt, namespace, key, now): move the expiry of a live row. */
    touch: `UPDATE ${t} SET expires_at = $1 WHERE namespace = $2 AND key = $3 AND expires_at > $4`,
    /** (namespace, key) → the removed row's expiry, live or not. */
    deleteKey: `DELETE FROM ${t} WHERE namespace = $1 AND key = $2 RETURNING expires_at AS "expiresAt"`,
    /** (namespace, key, ifVersion, now): delete a live row of that version. */
    deleteIfVersion: `DELETE FROM ${t}
    WHERE namespace = $1 AND key = $2 AND version = $3 AND expires_at > $4`,
    /**
     * (namespace, key, now) → whether a live row is there: `ifVersion: 0` with an expiry in the
     * past. The live row stays (a conflict); an expired one goes, only if still expired.
     */
    deleteIfAbsent: `WITH gone AS (DELETE FROM ${t}
      WHERE namespace = $1 AND key = $2 AND expires_at <= $3 RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ${t} WHERE namespace = $1 AND key = $2 AND expires_at > $3) AS live`,
    /** (namespace, userId, now, afterKey) → a page of the user's live rows, by key. */
    listByUser: `SELECT key, ${ROW} FROM ${t}
    WHERE namespace = $1 AND user_id = $2 AND expires_at > $3 AND key > $4
    ORDER BY key LIMIT ${PAGE_ROWS}`,
    /** (namespace, userId, exceptKey, now) → how many live rows of the user were deleted. */
    deleteByUser: `WITH gone AS (DELETE FROM ${t}
      WHERE namespace = $1 AND user_id = $2 AND key IS DISTINCT FROM $3 RETURNING expires_at)
    SELECT count(*) FILTER (WHERE expires_at > $4) AS live FROM gone`,
    /** (namespace, now, afterKey) → a page of the namespace's live rows, by key. */
    list: `SELECT key, ${ROW} FROM ${t} WHERE namespace = $1 AND expires_at > $2 AND key > $3
    ORDER BY key LIMIT ${PAGE_ROWS}`,
    /** (namespace): delete one batch of the namespace's rows. */
    clear: `DELETE FROM ${t} WHERE namespace = $1 AND key IN
      (SELECT key FROM ${t} WHERE namespace = $1 LIMIT ${PAGE_ROWS})`,
    /**
     * (namespace, now): delete one batch of expired rows. The outer `expires_at <= $2` is
     * re-checked on a row another writer just made live again, which then stays.
     */
    prune: `DELETE FROM ${t} WHERE namespace = $1 AND expires_at <= $2 AND key IN
      (SELECT key FROM ${t} WHERE namespace = $1 AND expires_at <= $2 LIMIT ${PAGE_ROWS})`,
  } as const;
}

/** The statements of {@link sessionSql}, by name. */
export type SessionSql = ReturnType<typeof sessionSql>;
