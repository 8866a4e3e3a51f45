/**
 * Where a namespace's records live in Redis.
 *
 * A namespace is split into `buckets` hash-tagged groups, `{<namespace>:<bucket>:<salt>}`. A
 * session key picks its bucket from its own hash, and its user's index entry lives in the same
 * bucket: the session and its index entry share one hash slot, so one Lua script updates both
 * atomically, also on Redis Cluster, while the namespace as a whole spreads over `buckets`
 * slots (and so over the cluster's masters).
 *
 * The salt places each bucket's slot evenly over the slot space: a cluster gives each master a
 * contiguous range of slots, so evenly placed buckets load the masters evenly (16 buckets over
 * three masters: 5/5/6, or 4/6/6). Left to the hash alone, a third of namespaces had 8 to 10
 * buckets on one master (measured over 2,000 namespaces).
 *
 * ```text
 * {<namespace>:<bucket>:<salt>}:s:<key>      STRING  <expiresAt>:<version>:<userId>\n<encoded data>
 * {<namespace>:<bucket>:<salt>}:u:<userId>   ZSET    member <key>, score <expiresAt>
 * ```
 */

/** Redis Cluster's number of hash slots. */
export const CLUSTER_SLOTS = 16384;
/**
 * Buckets are placed in at most this many equal ranges of slots: an even spread over clusters
 * of up to 64 masters, and a salt found in about 64 tries per bucket, whatever `buckets` is.
 */
const SLOT_RANGES = 64;

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
    if (Math.floor((hashSlot(content) * ranges) / CLUSTER_SLOTS) === range) return `{${content}}`;
  }
  throw new Error(`no hash tag of bucket ${bucket} falls in slot range ${range} of ${ranges}`);
}

/** Default number of buckets: enough to spread a namespace over a cluster, few for listByUser. */
export const DEFAULT_BUCKETS = 16;
/** Most buckets a store accepts; listByUser and deleteByUser touch every bucket. */
export const MAX_BUCKETS = 1024;

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
    readonly namespace: string,
    readonly buckets: number,
  ) {
    this.tags = Array.from({ length: buckets }, (_, bucket) =>
      bucketTag(namespace, bucket, buckets),
    );
    // Namespaces hold only [A-Za-z0-9_.:-]: no glob or regex metacharacter but `.`.
    this.scanPattern = `{${namespace}:*`;
    this.#ownKey = new RegExp(`^\\{${namespace.replaceAll('.', '\\.')}:\\d+:\\d+\\}:[su]:`);
  }

  /** The bucket of a session key. */
  bucketOf(key: string): number {
    return this.buckets === 1 ? 0 : fnv1a(key) % this.buckets;
  }

  /** The hash tag (and key prefix) of a session key's bucket. */
  tagOf(key: string): string {
    return this.tags[this.bucketOf(key)] as string;
  }

  /** The Redis key of a session. */
  sessionKey(key: string): string {
    return `${this.tagOf(key)}:s:${key}`;
  }

  /** The Redis key of a user's index in one bucket (`tag` from {@link tags}). */
  userIndexKey(tag: string, userId: string): string {
    return `${tag}:u:${userId}`;
  }

  /**
   * The hash tag of a Redis key if it belongs to this namespace, else undefined. Another
   * namespace may match {@link scanPattern} (`shop` vs `shop:eu`); this is the exact test.
   */
  owns(redisKey: string): string | undefined {
    if (!this.#ownKey.test(redisKey)) return undefined;
    // Any bucket and salt count: a store configured with other buckets wrote to this namespace too.
    return redisKey.slice(0, redisKey.indexOf('}') + 1);
  }
}
