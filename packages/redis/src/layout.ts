/**
 * Where a namespace's records live in Redis: the one place that spells a key, for TypeScript
 * and (through {@link luaKeys}) for the scripts. A session (`<tag>:s:<key>`, a string, see
 * envelope.ts) and its entry in its user's index (`<tag>:u:<userId>`, a sorted set scored by
 * `expiresAt`) share their bucket's hash tag `{<namespace>:<bucket>:<salt>}`, so one script
 * updates both atomically, on a cluster too. The salt puts each bucket in its own equal range of
 * slots, so buckets load a cluster's masters evenly (by the hash alone, a third of namespaces had
 * 8 to 10 of 16 buckets on one of three masters).
 */
import { integerOption } from '@sessions/core/kit';
import { SOURCE } from './options.js';

const SESSION_MARK = ':s:';
const USER_MARK = ':u:';
/** Namespaces never hold a brace, so the first `}` of a key ends its tag. */
const CLOSE = '}';

/** Redis Cluster's number of hash slots. */
export const CLUSTER_SLOTS = 16384;
/** At most this many slot ranges: an even spread over up to 64 masters, ~64 tries per salt. */
const SLOT_RANGES = 64;
/** Default number of buckets: enough to spread a namespace over a cluster, few for listByUser. */
export const DEFAULT_BUCKETS = 16;
/** Most buckets a store accepts; listByUser and deleteByUser touch every bucket. */
export const MAX_BUCKETS = 1024;

/** CRC16-XMODEM (polynomial 0x1021), the checksum Redis Cluster takes a key's slot from. */
const CRC16_TABLE = new Uint16Array(256).map((_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  return crc;
});

/** The slot Redis Cluster gives a hash tag's content (ASCII, as every tag here). */
export function hashSlot(content: string): number {
  let crc = 0;
  for (let i = 0; i < content.length; i++) {
    const byte = ((crc >> 8) ^ content.charCodeAt(i)) & 0xff;
    crc = ((crc << 8) ^ (CRC16_TABLE[byte] as number)) & 0xffff;
  }
  return crc % CLUSTER_SLOTS;
}

/** The tag of one bucket: the first salt that puts its slot in the bucket's range of slots. */
function bucketTag(namespace: string, bucket: number, buckets: number): string {
  const ranges = Math.min(buckets, SLOT_RANGES);
  const range = bucket % ranges;
  // A range holds at least 1/64 of the slots, so about 64 tries; the bound is a guard (tested).
  for (let salt = 0; salt < 1_000_000; salt++) {
    const content = `${namespace}:${bucket}:${salt}`;
    if (Math.floor((hashSlot(content) * ranges) / CLUSTER_SLOTS) === range) return `{${content}}`;
  }
  throw new Error(`no hash tag of bucket ${bucket} falls in slot range ${range} of ${ranges}`);
}

/** FNV-1a (32 bit) over the key's UTF-16 code units: stable, fast, well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The key layout of one namespace. Pure string work, no I/O; exported so tools (and the
 * tests) can find a session's Redis keys.
 *
 * @example
 * ```ts
 * const layout = new KeyLayout('shop', 16);
 * layout.sessionKey('abc'); // '{shop:<bucket>:<salt>}:s:abc'
 * ```
 */
export class KeyLayout {
  /** Every bucket's hash tag, `{<namespace>:<bucket>:<salt>}`, computed once. */
  readonly tags: readonly string[];
  /** A `SCAN MATCH` pattern covering the namespace (a superset: check with {@link owns}). */
  readonly scanPattern: string;
  readonly #ownKey: RegExp;

  /** @throws `TypeError` when `buckets` is not an integer from 1 to {@link MAX_BUCKETS}. */
  constructor(
    /** The store's namespace, the first part of every hash tag. */
    readonly namespace: string,
    /** How many buckets (hash tags) the namespace's keys are spread over. */
    readonly buckets: number = DEFAULT_BUCKETS,
  ) {
    integerOption(buckets, DEFAULT_BUCKETS, 'buckets', {
      source: SOURCE,
      min: 1,
      max: MAX_BUCKETS,
    });
    this.tags = Array.from({ length: buckets }, (_, b) => bucketTag(namespace, b, buckets));
    // Namespaces hold only [A-Za-z0-9_.:-]: no glob or regex metacharacter but `.`.
    this.scanPattern = `{${namespace}:*`;
    const marks = `${SESSION_MARK}|${USER_MARK}`;
    this.#ownKey = new RegExp(`^\\{${namespace.replaceAll('.', '\\.')}:\\d+:\\d+\\}(?:${marks})`);
  }

  /** The bucket of a session key. */
  bucketOf(key: string): number {
    return this.buckets === 1 ? 0 : fnv1a(key) % this.buckets;
  }

  /** The hash tag (and key prefix) of a session key's bucket. */
  tagOf(key: string): string {
    return this.tags[this.bucketOf(key)] as string;
  }

  /** The Redis key of a session (`tag`: its bucket's, when already known). */
  sessionKey(key: string, tag = this.tagOf(key)): string {
    return `${tag}${SESSION_MARK}${key}`;
  }

  /** The Redis key of a user's index in one bucket (`tag` from {@link tags}). */
  userIndexKey(tag: string, userId: string): string {
    return `${tag}${USER_MARK}${userId}`;
  }

  /**
   * The hash tag of a Redis key if it belongs to this namespace, else undefined. Another
   * namespace may match {@link scanPattern} (`shop` vs `shop:eu`); this is the exact test. Any
   * bucket and salt count: a store configured with other buckets wrote to this namespace too.
   */
  owns(redisKey: string): string | undefined {
    return this.#ownKey.test(redisKey) ? redisKey.slice(0, redisKey.indexOf(CLOSE) + 1) : undefined;
  }

  /** The session key a Redis key of tag `tag` holds, or undefined for a user's index. */
  sessionIn(redisKey: string, tag: string): string | undefined {
    return redisKey.startsWith(SESSION_MARK, tag.length)
      ? redisKey.slice(tag.length + SESSION_MARK.length)
      : undefined;
  }
}

/** A Lua string literal of `text` (only the characters this package's constants hold). */
export const luaString = (text: string) =>
  `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;

/**
 * The same keys as Lua expressions, for the scripts: `key` is a variable holding a session's
 * Redis key, `tag` one holding a bucket's tag, `name` a session's own key, `owner` a userId.
 */
export const luaKeys = {
  tagOf: (key: string) => `sub(${key}, 1, find(${key}, ${luaString(CLOSE)}, 1, true))`,
  sessionOf: (key: string) =>
    `sub(${key}, find(${key}, ${luaString(CLOSE)}, 1, true) + ${1 + SESSION_MARK.length})`,
  session: (tag: string, name: string) => `${tag} .. ${luaString(SESSION_MARK)} .. ${name}`,
  userIndex: (tag: string, owner: string) => `${tag} .. ${luaString(USER_MARK)} .. ${owner}`,
};
