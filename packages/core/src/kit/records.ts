/**
 * Between the caller's records and what a driver stores: data encoded with the store's codec
 * within its size limit on the way in; on the way out, every stored field checked (a wrong
 * type is `CORRUPT`, never a crash), visibility decided by the application clock, and the
 * data decoded.
 */
import { CorruptError, SerializeError, TooLargeError } from '../errors.js';
import type { SessionRecord, StoredSession } from '../types.js';
import type { StoredEntry, StoredRecord } from './driver.js';
import { describeError } from './failures.js';
import type { ResolvedStoreOptions } from './options.js';

/**
 * Encode `data` with the store's codec and enforce its payload limit.
 * Throws `SerializeError` (the codec failed) or `TooLargeError`.
 */
export function encodeData<D>(opts: ResolvedStoreOptions<D>, data: D): string {
  let text: string;
  try {
    text = opts.codec.encode(data);
  } catch (err) {
    throw new SerializeError(
      opts.source,
      `the ${opts.codec.name} codec cannot encode this data: ${describeError(err)}`,
      { cause: err },
    );
  }
  if (typeof text !== 'string') {
    throw new SerializeError(opts.source, `the ${opts.codec.name} codec did not return a string`);
  }
  // UTF-16 length bounds UTF-8 length from below; only measure exactly when it might matter.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: cost only: measuring the bytes always gives the same answer
  if (text.length * 3 > opts.maxPayloadBytes) {
    // Stryker disable next-line StringLiteral: utf8 is Buffer.byteLength's default encoding
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > opts.maxPayloadBytes) {
      throw new TooLargeError(opts.source, bytes, opts.maxPayloadBytes);
    }
  }
  return text;
}

/**
 * The record a driver returned, or `undefined` when it is not live at `now`. Throws
 * `CorruptError` when a field has the wrong type or the data does not decode.
 */
export function toLiveRecord<D>(
  opts: ResolvedStoreOptions<D>,
  key: string,
  stored: StoredRecord,
  now: number,
): SessionRecord<D> | undefined {
  const { expiresAt, version, userId } = stored;
  if (
    // Stryker disable next-line ConditionalExpression: Number.isSafeInteger refuses every non-number too
    typeof expiresAt !== 'number' ||
    !Number.isSafeInteger(expiresAt) ||
    // Stryker disable next-line ConditionalExpression: Number.isSafeInteger refuses every non-number too
    typeof version !== 'number' ||
    !Number.isSafeInteger(version) ||
    version < 1 ||
    (userId != null && typeof userId !== 'string')
  ) {
    throw new CorruptError(
      opts.source,
      `the stored session under key "${key}" has malformed metadata`,
    );
  }
  if (now >= expiresAt) return undefined;
  const record: SessionRecord<D> = { data: decode(opts, stored.data, key), expiresAt, version };
  if (userId != null) record.userId = userId as string;
  return record;
}

/**
 * The live entries of a listing, decoded; with `owner`, only those it still owns (a backend's
 * index may lag an ownership change).
 */
export function toLiveSessions<D>(
  opts: ResolvedStoreOptions<D>,
  entries: readonly StoredEntry[],
  now: number,
  owner?: string,
): Array<StoredSession<D>> {
  const sessions: Array<StoredSession<D>> = [];
  for (const entry of entries) {
    if (owner !== undefined && entry.userId !== owner) continue;
    const record = toLiveRecord(opts, entry.key, entry, now);
    if (record !== undefined) sessions.push({ key: entry.key, record });
  }
  return sessions;
}

function decode<D>(opts: ResolvedStoreOptions<D>, text: unknown, key: string): D {
  if (typeof text !== 'string') {
    throw new CorruptError(opts.source, `the stored session under key "${key}" is not a string`);
  }
  try {
    return opts.codec.decode(text);
  } catch (err) {
    throw new CorruptError(
      opts.source,
      `the stored session under key "${key}" does not decode with the ${opts.codec.name} codec`,
      { cause: err },
    );
  }
}
