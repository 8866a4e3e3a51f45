/** The document layout: one document per session (the README's "Layout in the backend"). */
import type { RecordWrite, StoredRecord } from '@sessions/core/kit';

/**
 * One stored session. `_id` is `<namespace>/<key>`: `/` is in neither alphabet, so the id is
 * unambiguous (with `:`, namespace `a:b` + key `c` and `a` + `b:c` would share a document).
 */
export interface SessionDocument {
  /** `<namespace>/<key>` (see {@link documentId}). */
  _id: string;
  /** So `clear()`, `prune()` and the user index stay within the namespace. */
  namespace: string;
  /** The codec's output, stored as a string: the codec alone decides the format. */
  data: string;
  /** When the session expires: a BSON Date, so a TTL index can act on it. */
  expiresAt: Date;
  /** Absent when the session has no owner. */
  userId?: string;
  /** 1 on creation, +1 on every write; `touch` leaves it alone. */
  version: number;
}

/** The character between namespace and key in `_id`; in neither alphabet. */
export const ID_SEPARATOR = '/';

/** The `_id` of `key` in `namespace`. */
export function documentId(namespace: string, key: string): string {
  return `${namespace}${ID_SEPARATOR}${key}`;
}

/**
 * The fields a write sets, as an update: `$set` for what the record has, `$unset` for a
 * `userId` it no longer has (a re-set without owner must leave the old owner's list).
 */
export function writeUpdate(
  namespace: string,
  write: RecordWrite,
  version?: number,
): { $set: Partial<SessionDocument>; $unset?: { userId: '' } } {
  const fields: Partial<SessionDocument> = {
    namespace,
    data: write.data,
    expiresAt: new Date(write.expiresAt),
  };
  if (version !== undefined) fields.version = version;
  if (write.userId === undefined) return { $set: fields, $unset: { userId: '' } };
  fields.userId = write.userId;
  return { $set: fields };
}

/** A document as the kit reads it; an `expiresAt` that is not a Date is `CORRUPT` there. */
export function toStored(doc: Partial<SessionDocument>): StoredRecord {
  const { expiresAt } = doc;
  return {
    data: doc.data,
    expiresAt: expiresAt instanceof Date ? expiresAt.getTime() : Number.NaN,
    userId: doc.userId,
    version: doc.version,
  };
}
