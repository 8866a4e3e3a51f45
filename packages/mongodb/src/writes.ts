/**
 * `set`, case by case. Each case is one filtered write whose filter states its precondition,
 * so the server (not a read before the write) decides; the store's write queue keeps them
 * exact on servers whose filtered updates are not atomic (see write-queue.ts).
 */
import { ConflictError, type SessionRecord, type SetResult } from '@sessions/core';
import type { Collection } from 'mongodb';
import { isLive, type SessionDocument, writeUpdate } from './document.js';
import { SOURCE } from './options.js';

/** Everything one `set` needs, validated and encoded. */
export interface WriteInput {
  collection: Collection<SessionDocument>;
  id: string;
  namespace: string;
  encoded: string;
  record: SessionRecord<unknown>;
  ifVersion: number | undefined;
  /** The application clock's now, in epoch ms. */
  now: number;
}

/** MongoDB's duplicate-key error: the `_id` is taken. */
function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Whether a compare-and-set must lose, judged from what the write just before it (in this
 * process's queue for the document) left: another version, or, for "must not exist", a live
 * record. Versions only grow (bar a re-creation), so at worst this reports a conflict that a
 * round trip might not have; a conflict changes nothing and the caller retries.
 */
export function mustConflict(
  previous: { version: number; expiresAt: number } | undefined,
  ifVersion: number | undefined,
  now: number,
): boolean {
  if (previous === undefined || ifVersion === undefined) return false;
  return ifVersion === 0 ? now < previous.expiresAt : previous.version !== ifVersion;
}

/** Write `input.record` under the rules of `set`; see each case. */
export function writeRecord(input: WriteInput): Promise<SetResult> {
  if (input.record.expiresAt <= input.now) return removeForPastExpiry(input);
  if (input.ifVersion === undefined) return upsert(input);
  if (input.ifVersion === 0) return createIfAbsent(input);
  return replaceVersion(input, input.ifVersion);
}

/**
 * Unconditional write: one `findOneAndUpdate` with upsert that bumps the version and returns
 * the document as it was. No predecessor: created, version 1. A live one: its version + 1.
 * An expired one counts as absent, so the new record is a creation and its version must be
 * 1: a second, filtered update resets it (only on this rare path; aggregation-pipeline updates
 * that could branch in one round trip do not exist on FerretDB 1.x).
 */
async function upsert(input: WriteInput): Promise<SetResult> {
  const { collection, id, namespace, encoded, record, now } = input;
  const update = { ...writeUpdate(namespace, encoded, record), $inc: { version: 1 } };
  const before = await collection.findOneAndUpdate({ _id: id }, update, {
    upsert: true,
    returnDocument: 'before',
  });
  if (!before) return { version: 1 };
  const bumped = (typeof before.version === 'number' ? before.version : 0) + 1;
  if (isLive(before, now)) return { version: bumped };
  const reset = await collection.updateOne({ _id: id, version: bumped }, { $set: { version: 1 } });
  // Unmatched: another writer already moved past our write; its version stands, ours was bumped.
  return { version: reset.matchedCount === 1 ? 1 : bumped };
}

/**
 * `ifVersion: 0`, "must not exist": one upsert filtered on "the stored document, if any, is
 * expired". Absent: inserted. Expired: replaced. Live: the filter misses, the upsert tries to
 * insert the taken `_id`, and the server's duplicate-key error is the `CONFLICT`. The unique
 * `_id` makes exactly one of racing creators win.
 */
async function createIfAbsent(input: WriteInput): Promise<SetResult> {
  const { collection, id, namespace, encoded, record, now } = input;
  try {
    await collection.updateOne(
      { _id: id, expiresAt: { $lte: new Date(now) } },
      writeUpdate(namespace, encoded, record, 1),
      {
        upsert: true,
      },
    );
  } catch (err) {
    if (isDuplicateKey(err)) throw new ConflictError(SOURCE);
    throw err;
  }
  return { version: 1 };
}

/** `ifVersion: v`: one update filtered on the live document having version v. */
async function replaceVersion(input: WriteInput, version: number): Promise<SetResult> {
  const { collection, id, namespace, encoded, record, now } = input;
  const result = await collection.updateOne(
    { _id: id, version, expiresAt: { $gt: new Date(now) } },
    writeUpdate(namespace, encoded, record, version + 1),
  );
  if (result.matchedCount !== 1) throw new ConflictError(SOURCE);
  return { version: version + 1 };
}

/**
 * `expiresAt <= now`: delete instead of writing, after the compare-and-set check when there
 * is one. Resolves `{ version: 0 }`.
 */
async function removeForPastExpiry(input: WriteInput): Promise<SetResult> {
  const { collection, id, ifVersion } = input;
  const now = new Date(input.now);
  if (ifVersion === undefined) {
    await collection.deleteOne({ _id: id });
  } else if (ifVersion > 0) {
    const result = await collection.deleteOne({
      _id: id,
      version: ifVersion,
      expiresAt: { $gt: now },
    });
    if (result.deletedCount !== 1) throw new ConflictError(SOURCE);
  } else {
    // "Must not exist" and nothing to store: a live record is the conflict; an expired one goes.
    const live = await collection.findOne(
      { _id: id, expiresAt: { $gt: now } },
      { projection: { _id: 1 } },
    );
    if (live) throw new ConflictError(SOURCE);
    await collection.deleteOne({ _id: id, expiresAt: { $lte: now } });
  }
  return { version: 0 };
}
