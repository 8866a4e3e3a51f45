/**
 * The item layout: one item per session, short attribute names (they count toward DynamoDB's
 * 400 KB item limit), and the exact size arithmetic that turns that limit into a payload limit.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MAX_KEY_LENGTH, MAX_USER_ID_LENGTH } from '@sessions/core';
import type { RecordWrite, StoredRecord } from '@sessions/core/kit';

/** Attribute names of a session item. */
export const ATTR = {
  /** Partition key: `<namespace>#<key>`. */
  key: 'pk',
  /** The codec's output (a String). */
  data: 'd',
  /** `expiresAt` in epoch ms (a Number): what the store filters visibility by. */
  expiresAt: 'exp',
  /** `expiresAt` in epoch seconds on the server's clock, rounded up: DynamoDB's TTL (GC only). */
  ttl: 'ttl',
  /** `<namespace>#<userId>`, the user index's partition key; absent without a userId. */
  userId: 'uid',
  /** The record's version (a Number). */
  version: 'v',
} as const;

/** One stored item, as the low-level client reads and writes it. */
export type Item = Record<string, AttributeValue>;

/** DynamoDB's item size limit: 400 KB, attribute names included. */
export const DYNAMODB_ITEM_LIMIT = 400 * 1024;

/**
 * The bytes DynamoDB counts for a Number: 1, plus 1 for a negative sign, plus one per pair of
 * significant digits (pairs aligned on the decimal point, leading and trailing zero pairs
 * dropped). Measured against DynamoDB Local: 1 → 2, 1234 → 3, 1.7e12 → 3, 2^53-1 → 9.
 */
export function numberSize(value: number): number {
  const digits = Math.abs(value).toString();
  if (!/^\d+$/.test(digits)) throw new RangeError(`numberSize expects an integer, got ${value}`);
  const pairs = (digits.length % 2 === 0 ? digits : `0${digits}`).match(/../g) ?? [];
  let first = 0;
  let last = pairs.length;
  while (first < last && pairs[first] === '00') first++;
  while (last > first && pairs[last - 1] === '00') last--;
  return 1 + (value < 0 ? 1 : 0) + (last - first);
}

/**
 * The largest item this store can write, minus its `d` value: every attribute name, a key of
 * the longest allowed length, a userId of the longest allowed UTF-8 length (3 bytes per UTF-16
 * unit: astral characters take 4 bytes for 2 units), and the largest numbers (a version and an
 * `expiresAt` up to 2^53 - 1, the TTL seconds of that).
 */
export function worstCaseOverhead(namespace: string): number {
  const names = Object.values(ATTR).reduce((sum, name) => sum + Buffer.byteLength(name), 0);
  const prefix = Buffer.byteLength(namespace) + 1;
  const key = prefix + MAX_KEY_LENGTH; // keys are ASCII
  const userId = prefix + 3 * MAX_USER_ID_LENGTH;
  const maxMs = Number.MAX_SAFE_INTEGER;
  const numbers = numberSize(maxMs) + numberSize(maxMs) + numberSize(Math.ceil(maxMs / 1000));
  return names + key + userId + numbers;
}

/**
 * The TTL attribute for `expiresAt`: epoch seconds by the server's clock, rounded up so it never
 * precedes expiry. DynamoDB deletes by its own clock, so `skew` (ms the server's clock is ahead
 * of the application's) is added: an app clock behind the server's must not let TTL delete a
 * session that is still live by it.
 */
export function ttlSeconds(expiresAt: number, skew: number): string {
  return String(Math.ceil((expiresAt + skew) / 1000));
}

/** The primary key of the item under `pk` (namespaced). */
export function keyOf(pk: string): Item {
  return { [ATTR.key]: { S: pk } };
}

/** A whole session item, for PutItem; `pk` and `uid` are namespaced, `ttl` from {@link ttlSeconds}. */
export function sessionItem(
  pk: string,
  write: RecordWrite,
  uid: string | undefined,
  version: number,
  ttl: string,
): Item {
  const item: Item = {
    ...keyOf(pk),
    [ATTR.data]: { S: write.data },
    [ATTR.expiresAt]: { N: String(write.expiresAt) },
    [ATTR.ttl]: { N: ttl },
    [ATTR.version]: { N: String(version) },
  };
  if (uid !== undefined) item[ATTR.userId] = { S: uid };
  return item;
}

/**
 * A stored item as the kit reads records, the namespace (`prefixLength` characters) cut from
 * the owner. A missing or malformed number reads as `NaN`, which the kit reports as `CORRUPT`.
 */
export function toStored(item: Item, prefixLength: number): StoredRecord {
  const uid = item[ATTR.userId]?.S;
  return {
    data: item[ATTR.data]?.S,
    expiresAt: Number(item[ATTR.expiresAt]?.N),
    userId: uid?.slice(prefixLength),
    version: Number(item[ATTR.version]?.N),
  };
}

/** Whether a stored item is live at `now` (by its `exp`, as every condition decides it). */
export function isLive(item: Item | undefined, now: number): boolean {
  return item !== undefined && now < Number(item[ATTR.expiresAt]?.N);
}
