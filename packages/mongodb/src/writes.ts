/** The writes, case by case: each a filtered write whose filter states its precondition. */
import { CONFLICT, type Conflict, type RecordWrite } from '@sessions/core/kit';
import type { Collection, CommandOperationOptions } from 'mongodb';
import { type SessionDocument, writeUpdate } from './document.js';

/** Where a write goes, and how it is cancelled. */
export interface WriteTarget {
  collection: Collection<SessionDocument>;
  id: string;
  namespace: string;
  /** The application clock's now, in epoch ms. */
  now: number;
  /** Driver options for every command: the operation's `signal`. */
  options: CommandOperationOptions;
}

/** MongoDB's duplicate-key error: the `_id` is taken. */
function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
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
  const reset = await collection.updateOne(
    { _id: id, version: bumped },
    { $set: { version: 1 } },
    options,
  );
  // Unmatched: another writer already moved past our write; its version stands, ours was bumped.
  return reset.matchedCount === 1 ? 1 : bumped;
}

/**
 * `ifVersion: 0`: one upsert filtered on "expired, if there at all". A live document makes the
 * upsert insert a taken `_id`: the duplicate-key error is the conflict, so one creator wins.
 */
async function createIfAbsent(target: WriteTarget, write: RecordWrite): Promise<1 | Conflict> {
  const { collection, id, namespace, now, options } = target;
  try {
    await collection.updateOne(
      { _id: id, expiresAt: { $lte: new Date(now) } },
      writeUpdate(namespace, write, 1),
      { ...options, upsert: true },
    );
  } catch (err) {
    if (isDuplicateKey(err)) return CONFLICT;
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
  const result = await collection.updateOne(
    { _id: id, version, expiresAt: { $gt: new Date(now) } },
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
  const live = await collection.findOne(
    { _id: id, expiresAt: { $gt: now } },
    { ...options, projection: { _id: 1 } },
  );
  if (live) return CONFLICT;
  await collection.deleteOne({ _id: id, expiresAt: { $lte: now } }, options);
  return false;
}
