/** The writes, case by case: each a filtered write whose filter states its precondition. */
import { CONFLICT, type Conflict, type RecordWrite } from '@sessions/core/kit';
import type { Collection, CommandOperationOptions } from 'mongodb';
import type { SessionDocument } from './document.js';

/** Where a write goes (`now`: the application clock's), and the options that cancel it. */
export interface WriteTarget {
  collection: Collection<SessionDocument>;
  namespace: string;
  id: string;
  now: number;
  options: CommandOperationOptions;
}

/** Write `write` under the rules of `set` (its expiry is in the future): the new version. */
export function writeRecord(target: WriteTarget, write: RecordWrite): Promise<number | Conflict> {
  if (write.ifVersion === undefined) return upsert(target, write);
  if (write.ifVersion === 0) return createIfAbsent(target, write);
  return replaceVersion(target, write, write.ifVersion);
}

/**
 * Unconditional: one `findOneAndUpdate` (upsert, `$inc` version) returning the old document.
 * None: version 1; a live one: its version + 1; an expired one counts as absent, so a second,
 * filtered update resets the version to 1 (FerretDB 1.x has no pipeline updates to branch).
 */
async function upsert(target: WriteTarget, write: RecordWrite): Promise<number> {
  const { collection, id, namespace, now, options } = target;
  const update = { ...writeUpdate(namespace, write), $inc: { version: 1 } };
  const before = await collection.findOneAndUpdate({ _id: id }, update, {
    ...options,
    upsert: true,
    returnDocument: 'before',
  });
  if (!before) return 1;
  const bumped = (typeof before.version === 'number' ? before.version : 0) + 1;
  if (before.expiresAt instanceof Date && now < before.expiresAt.getTime()) return bumped;
  const reset = { $set: { version: 1 } };
  // Unmatched: another writer already moved past our write; its version stands, ours was bumped.
  const { matchedCount } = await collection.updateOne({ _id: id, version: bumped }, reset, options);
  return matchedCount === 1 ? 1 : bumped;
}

/**
 * `ifVersion: 0`: one upsert filtered on "expired, if there at all". A live document makes the
 * upsert insert a taken `_id`: the duplicate-key error is the conflict, so one creator wins.
 */
async function createIfAbsent(target: WriteTarget, write: RecordWrite): Promise<1 | Conflict> {
  const { collection, id, namespace, now, options } = target;
  const expired = { _id: id, expiresAt: { $lte: new Date(now) } };
  try {
    await collection.updateOne(expired, writeUpdate(namespace, write, 1), {
      ...options,
      upsert: true,
    });
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 11000) return CONFLICT; // duplicate key
    throw err;
  }
  return 1;
}

/** `ifVersion: v`: one update filtered on the live document having version v. */
async function replaceVersion(
  target: WriteTarget,
  write: RecordWrite,
  version: number,
): Promise<number | Conflict> {
  const { collection, id, namespace, now, options } = target;
  const live = { _id: id, version, expiresAt: { $gt: new Date(now) } };
  const result = await collection.updateOne(
    live,
    writeUpdate(namespace, write, version + 1),
    options,
  );
  return result.matchedCount === 1 ? version + 1 : CONFLICT;
}

/**
 * Remove the live document (an expired one is invisible already, left to the TTL index or the
 * prune), after the compare-and-set check of `ifVersion`. True if a live document went.
 */
export async function removeRecord(
  target: WriteTarget,
  ifVersion: number | undefined,
): Promise<boolean | Conflict> {
  const { collection, id, options } = target;
  const now = new Date(target.now);
  if (ifVersion === undefined || ifVersion > 0) {
    const filter = {
      _id: id,
      expiresAt: { $gt: now },
      ...(ifVersion ? { version: ifVersion } : {}),
    };
    const removed = (await collection.deleteOne(filter, options)).deletedCount === 1;
    return removed || ifVersion === undefined ? removed : CONFLICT;
  }
  // "Must not exist" and nothing to store: a live record is the conflict; an expired one goes.
  const live = { _id: id, expiresAt: { $gt: now } };
  if (await collection.findOne(live, { ...options, projection: { _id: 1 } })) return CONFLICT;
  await collection.deleteOne({ _id: id, expiresAt: { $lte: now } }, options);
  return false;
}

/**
 * The fields a write sets, as an update: `$set` for what the record has, `$unset` for a
 * `userId` it no longer has (a re-set without owner must leave the old owner's list).
 */
function writeUpdate(namespace: string, write: RecordWrite, version?: number) {
  const { data, userId } = write;
  const $set: Partial<SessionDocument> = { namespace, data, expiresAt: new Date(write.expiresAt) };
  if (version !== undefined) $set.version = version;
  if (userId === undefined) return { $set, $unset: { userId: '' as const } };
  $set.userId = userId;
  return { $set };
}
