/**
 * Where a namespace's records live in Redis: the one place that spells a key, for TypeScript
 * and (through {@link luaKeys}) for the Lua scripts.
 *
 * ```text
 * {<namespace>:<bucket>:<salt>}:s:<key>      STRING  see envelope.ts
 * {<namespace>:<bucket>:<salt>}:u:<userId>   ZSET    member <key>, score <expiresAt>
 * ```
 *
 * A session and its user's index entry share their bucket's hash tag, so one script updates
 * both atomically, on Redis Cluster too, while a namespace spreads over `buckets` slots. The
 * salt puts each bucket in its own equal range of slots, so the buckets load a cluster's
 * masters evenly (left to the hash alone, a third of namespaces had 8 to 10 of 16 buckets on
 * one of three masters).
 */

/** Between a bucket's tag and a session's key. */
const SESSION_MARK = ':s:';
/** Between a bucket's tag and a userId: that user's index in the bucket. */
const USER_MARK = ':u:';
/** A tag's braces. Namespaces never hold a brace, so the first `}` of a key ends its tag. */
const OPEN = '{';
const CLOSE = '}';

/** Redis Cluster's number of hash slots. */
export const CLUSTER_SLOTS = 16384;
/**
 * Buckets are placed in at most this many equal ranges of slots: an even spread over clusters
 * of up to 64 masters, and a salt found in about 64 tries per bucket, whatever `buckets` is.
 */
const SLOT_RANGES = 64;
/** Default number of buckets: enough to spread a namespace over a cluster, few for listByUser. */
export const DEFAULT_BUCKETS = 16;
/** Most buckets a store accepts; listByUser and deleteByUser touch every bucket. */
export const MAX_BUCKETS = 1024;

/** CRC16-XMODEM (polynomial 0x1021), the checksum Redis Cluster takes a key's slot from. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
})();

/**
 * The hash slot of a hash tag's content (what is between the braces), computed as Redis
 * Cluster does: CRC16 mod 16384. For ASCII text, which every tag of this store is.
 */
export function hashSlot(content: string): number {
  let crc = 0;
  for (let i = 0; i < content.length; i++) {
    crc =
      ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ content.charCodeAt(i)) & 0xff] as number);
  }
  return crc % CLUSTER_SLOTS;
}

/** The tag of one bucket: the first salt that puts its slot in the bucket's range of slots. */
function bucketTag(namespace: string, bucket: number, buckets: number): string {
  const ranges = Math.min(buckets, SLOT_RANGES);
  const range = bucket % ranges;
  // A range holds at least 1/64 of the slots, so a salt is found in about 64 tries; the bound
  // only guards against a checksum that never lands there (it does not happen: tested).
  for (let salt = 0; salt < 1_000_000; salt++) {
    const content = `${namespace}:${bucket}:${salt}`;
    if (Math.floor((hashSlot(content) * ranges) / CLUSTER_SLOTS) === range) {
      return `${OPEN}${content}${CLOSE}`;
    }
  }
  throw new Error(`no hash tag of bucket ${bucket} falls in slot range ${range} of ${ranges}`);
}

/** FNV-1a (32 bit) over the key's UTF-16 code units: stable, fast, well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
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

  constructor(
    /** The store's namespace, the first part of every hash tag. */
    readonly namespace: string,
    /** How many buckets (hash tags) the namespace's keys are spread over. */
    readonly buckets: number,
  ) {
    this.tags = Array.from({ length: buckets }, (_, bucket) =>
      bucketTag(namespace, bucket, buckets),
    );
    // Namespaces hold only [A-Za-z0-9_.:-]: no glob or regex metacharacter but `.`.
    this.scanPattern = `${OPEN}${namespace}:*`;
    const marks = `${SESSION_MARK}|${USER_MARK}`;
    this.#ownKey = new RegExp(
      `^\\${OPEN}${namespace.replaceAll('.', '\\.')}:\\d+:\\d+\\${CLOSE}(?:${marks})`,
    );
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
   * namespace may match {@link scanPattern} (`shop` vs `shop:eu`); this is the exact test.
   */
  owns(redisKey: string): string | undefined {
    if (!this.#ownKey.test(redisKey)) return undefined;
    // Any bucket and salt count: a store configured with other buckets wrote to this namespace too.
    return redisKey.slice(0, redisKey.indexOf(CLOSE) + 1);
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
