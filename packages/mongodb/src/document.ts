/**
 * The document layout: one document per session. Everything that knows how a session is laid
 * out in MongoDB lives here, so the store reads as operations and the README as this file.
 */
import {
  CorruptError,
  decodeData,
  type ResolvedStoreOptions,
  type SessionRecord,
} from '@sessions/core';
import { SOURCE } from './options.js';

/**
 * One stored session.
 *
 * `_id` is `<namespace>/<key>`: `/` can appear in neither a namespace nor a key, so the id is
 * unambiguous (with `:` as separator, namespace `a:b` + key `c` and namespace `a` + key `b:c`
 * would share a document). A string id keeps the primary index small and every single-session
 * operation a lookup on it.
 */
export interface SessionDocument {
  _id: string;
  /** The store's namespace, so `clear()`, `prune()` and the user index stay within it. */
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
  encoded: string,
  record: SessionRecord<unknown>,
  version?: number,
): { $set: Partial<SessionDocument>; $unset?: { userId: '' } } {
  const fields: Partial<SessionDocument> = {
    namespace,
    data: encoded,
    expiresAt: new Date(record.expiresAt),
  };
  if (version !== undefined) fields.version = version;
  if (record.userId === undefined) return { $set: fields, $unset: { userId: '' } };
  fields.userId = record.userId;
  return { $set: fields };
}

/**
 * Turn a stored document into a record. Data that does not decode, or metadata of the wrong
 * type (a document written by something else), is `CORRUPT`, never a crash.
 */
export function toRecord<D>(
  opts: ResolvedStoreOptions<D>,
  doc: Partial<SessionDocument>,
  key: string,
): SessionRecord<D> {
  const { expiresAt, version, userId } = doc;
  if (
    !(expiresAt instanceof Date) ||
    typeof version !== 'number' ||
    (userId !== undefined && typeof userId !== 'string')
  ) {
    throw new CorruptError(SOURCE, `the stored session under key "${key}" has malformed metadata`);
  }
  const record: SessionRecord<D> = {
    data: decodeData(opts, doc.data, key),
    expiresAt: expiresAt.getTime(),
    version,
  };
  if (userId !== undefined) record.userId = userId;
  return record;
}

/** Whether a stored document is still live at `now` (epoch ms). */
export function isLive(doc: Partial<SessionDocument>, now: number): boolean {
  return doc.expiresAt instanceof Date && now < doc.expiresAt.getTime();
}
