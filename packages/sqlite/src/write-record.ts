/**
 * The SQL side of `set`: which single statement (or IMMEDIATE transaction) a write becomes,
 * by whether the record is already expired and what `ifVersion` asks for. Runs inside the
 * store's lock gate; throws `ConflictError` when compare-and-set finds another version.
 */
import { ConflictError } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { SOURCE } from './options.js';
import type { SessionStatements } from './statements.js';

/** One `set`, with its data already encoded. */
export interface RecordWrite {
  namespace: string;
  key: string;
  data: string;
  expiresAt: number;
  userId: string | null;
  ifVersion: number | undefined;
}

/** Perform `write` as of `now`; resolves to the stored version (0 when it deleted). */
export function writeRecord(
  db: Database,
  sql: SessionStatements,
  write: RecordWrite,
  now: number,
): number {
  const { namespace: ns, key, data, expiresAt, userId, ifVersion } = write;
  if (expiresAt <= now) return deleteForSet(db, sql, write, now);
  if (ifVersion === undefined) {
    // Upsert: version = the old live version + 1, or 1 when absent or expired, in one statement.
    return sql.upsert.all(ns, key, data, expiresAt, userId, now)[0] as number;
  }
  if (ifVersion === 0) {
    // Insert, or replace an expired row; a live row stays and nothing changes.
    if (sql.insertIfAbsent.run(ns, key, data, expiresAt, userId, now).changes === 0) {
      throw new ConflictError(SOURCE);
    }
    return 1;
  }
  const next = sql.compareAndSet.all(data, expiresAt, userId, ns, key, ifVersion, now)[0];
  if (next === undefined) throw new ConflictError(SOURCE);
  return next;
}

/** `set` with an expiry in the past: a delete, after the compare-and-set check. */
function deleteForSet(
  db: Database,
  sql: SessionStatements,
  write: RecordWrite,
  now: number,
): number {
  const { namespace: ns, key, ifVersion } = write;
  if (ifVersion === undefined) {
    sql.deleteKey.all(ns, key);
  } else if (ifVersion > 0) {
    if (sql.deleteIfVersion.run(ns, key, ifVersion, now).changes === 0) {
      throw new ConflictError(SOURCE);
    }
  } else {
    // "Must not exist": a live row is a conflict; an expired one is removed like any other.
    db.transaction(() => {
      if (sql.liveExists.get(ns, key, now) !== undefined) throw new ConflictError(SOURCE);
      sql.deleteKey.all(ns, key);
    }).immediate();
  }
  return 0;
}
