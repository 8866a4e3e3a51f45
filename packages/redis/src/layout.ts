/**
 * Where a namespace's records live in Redis.
 *
 * A namespace is split into `buckets` hash-tagged groups, `{<namespace>:<bucket>}`. A session
 * key picks its bucket from its own hash, and its user's index entry lives in the same
 * bucket: the session and its index entry share one hash slot, so one Lua script updates both
 * atomically, also on Redis Cluster, while the namespace as a whole spreads over `buckets`
 * slots (and so over the cluster's masters).
 *
 * ```text
 * {<namespace>:<bucket>}:s:<key>      STRING  <expiresAt>:<version>:<userId>\n<encoded data>
 * {<namespace>:<bucket>}:u:<userId>   ZSET    member <key>, score <expiresAt>
 * ```
 */

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
 * layout.sessionKey('abc'); // '{shop:<bucket>}:s:abc'
 * ```
 */
export class KeyLayout {
  /** Every bucket's hash tag, `{<namespace>:<bucket>}`, computed once. */
  readonly tags: readonly string[];
  /** A `SCAN MATCH` pattern covering the namespace (a superset: check with {@link owns}). */
  readonly scanPattern: string;
  readonly #ownKey: RegExp;

  constructor(
    readonly namespace: string,
    readonly buckets: number,
  ) {
    this.tags = Array.from({ length: buckets }, (_, bucket) => `{${namespace}:${bucket}}`);
    // Namespaces hold only [A-Za-z0-9_.:-]: no glob or regex metacharacter but `.`.
    this.scanPattern = `{${namespace}:*`;
    this.#ownKey = new RegExp(`^\\{${namespace.replaceAll('.', '\\.')}:(\\d+)\\}:[su]:`);
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
    const match = this.#ownKey.exec(redisKey);
    // Any bucket number counts: a store configured with more buckets wrote to this namespace too.
    return match ? `{${this.namespace}:${match[1]}}` : undefined;
  }
}
