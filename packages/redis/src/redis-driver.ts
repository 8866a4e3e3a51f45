/**
 * Redis's primitives for the store kit: one GET per `get`, one EVALSHA per `set`, `touch` and
 * `delete` (atomic with the user index and the compare-and-set), a script per bucket group for
 * the user index, SCAN pages for the namespace. The kit does the rest (validation, the codec,
 * visibility, the deadline, error mapping).
 */
import { UnavailableError } from '@sessions/core';
import {
  CONFLICT,
  type Conflict,
  type ErrorKind,
  more,
  type NextPage,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
  type StoredRecord,
} from '@sessions/core/kit';
import { openClient, type RedisClient, type ScanNode } from './client.js';
import { formatEnvelope, parseEnvelope } from './envelope.js';
import { KeyLayout } from './layout.js';
import { type RedisStoreOptions, resolveBuckets, SOURCE } from './options.js';
import {
  DELETE_SCRIPT,
  DELETE_USER_SCRIPT,
  deleteArgument,
  LIST_SCRIPT,
  type LuaScript,
  SET_SCRIPT,
  setArgument,
  TOUCH_SCRIPT,
  touchArgument,
} from './scripts.js';

/** Keys per SCAN page. */
const SCAN_COUNT = 1000;

/** Where a paged SCAN of the namespace stands: which server, and its cursor there. */
interface ScanCursor {
  readonly nodes: ScanNode[];
  readonly node: number;
  readonly at: string;
}

/** A namespace of a Redis server or cluster as a driver. Internal to `RedisStore`. */
export class RedisDriver implements StoreDriver {
  /** Where this store's records live (see the README, "Layout in the backend"). */
  readonly layout: KeyLayout;
  readonly client: RedisClient;

  constructor(options: RedisStoreOptions<unknown>, namespace: string, operationTimeout: number) {
    this.layout = new KeyLayout(namespace, resolveBuckets(options.buckets));
    this.client = openClient(options, operationTimeout);
  }

  get(key: string, op: Operation): Promise<StoredRecord | undefined> {
    this.#assertReachable(op);
    return this.client.get(this.layout.sessionKey(key)).then(toStored);
  }

  set(write: RecordWrite, op: Operation): Promise<number | Conflict> {
    const { key, expiresAt, userId, ifVersion } = write;
    const tag = this.layout.tagOf(key);
    const sessionKey = this.layout.sessionKey(key, tag);
    const keys =
      userId === undefined ? [sessionKey] : [sessionKey, this.layout.userIndexKey(tag, userId)];
    // The finished stored text, with the version the write has unless the key was written in
    // between (then the script patches the digits): Lua never copies the payload.
    const value = formatEnvelope(expiresAt, (ifVersion ?? 0) + 1, userId, write.data);
    const args = [setArgument(op.now, ifVersion, expiresAt), value];
    return this.#script(SET_SCRIPT, keys, args, op, toVersion);
  }

  touch(key: string, expiresAt: number, op: Operation): Promise<boolean> {
    const args = [touchArgument(op.now, expiresAt)];
    return this.#script(TOUCH_SCRIPT, [this.layout.sessionKey(key)], args, op, isOne);
  }

  delete(key: string, ifVersion: number | undefined, op: Operation): Promise<boolean | Conflict> {
    const args = [deleteArgument(op.now, ifVersion)];
    return this.#script(DELETE_SCRIPT, [this.layout.sessionKey(key)], args, op, toRemoved);
  }

  async listByUser(userId: string, op: Operation): Promise<StoredEntry[]> {
    const replies = await this.#perBucketGroup(LIST_SCRIPT, userId, [String(op.now), userId], op);
    const entries: StoredEntry[] = [];
    for (const flat of replies as string[][]) {
      for (let i = 0; i + 1 < flat.length; i += 2) {
        entries.push({ key: flat[i] as string, ...parseEnvelope(flat[i + 1] as string) });
      }
    }
    return entries;
  }

  async deleteByUser(userId: string, except: string | undefined, op: Operation): Promise<number> {
    const args = [String(op.now), userId, except ?? ''];
    const counts = await this.#perBucketGroup(DELETE_USER_SCRIPT, userId, args, op);
    return counts.reduce<number>((sum, count) => sum + Number(count), 0);
  }

  /** One SCAN page of the namespace, then one MGET per hash slot of what it found. */
  list(op: Operation, cursor: ScanCursor | undefined) {
    return this.#scanPage<StoredEntry[]>(op, cursor, [], async (bySlot) => {
      const entries: StoredEntry[] = [];
      const reads = [...bySlot].map(async ([tag, redisKeys]) => {
        const sessionOf = (redisKey: string) => this.layout.sessionIn(redisKey, tag);
        const sessionKeys = redisKeys.filter((redisKey) => sessionOf(redisKey) !== undefined);
        if (sessionKeys.length === 0) return;
        const texts = await this.client.mget(sessionKeys);
        texts.forEach((text, i) => {
          const key = sessionOf(sessionKeys[i] as string) as string;
          if (text !== null) entries.push({ key, ...parseEnvelope(text) });
        });
      });
      await Promise.all(reads);
      return entries;
    });
  }

  /** One SCAN page of the namespace, then one UNLINK per hash slot of what it found. */
  clear(op: Operation, cursor: ScanCursor | undefined) {
    return this.#scanPage<undefined>(op, cursor, undefined, async (bySlot) => {
      await Promise.all([...bySlot.values()].map((redisKeys) => this.client.unlink(redisKeys)));
      return undefined;
    });
  }

  /** Close a client the store created; a client given by the caller is left alone. */
  async close(op: Operation): Promise<void> {
    if (!this.client.owned) return;
    // The goodbye (QUIT, pending replies first) is a courtesy: wait for it at most half the
    // bound, so a silent server cannot make close() fail, then drop the connections either way.
    let timer: NodeJS.Timeout | undefined;
    const enough = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(0, op.remaining() / 2));
    });
    try {
      await Promise.race([this.client.quit().catch(() => undefined), enough]);
    } finally {
      clearTimeout(timer);
      this.client.disconnect();
    }
  }

  /** A key of this namespace that holds another Redis type is not a session: `CORRUPT`. */
  classify(error: unknown): ErrorKind | undefined {
    return error instanceof Error && error.message.startsWith('WRONGTYPE') ? 'corrupt' : undefined;
  }

  /** While the client is reconnecting (Redis known to be down), fail at once, not queue. */
  #assertReachable(op: Operation): void {
    const cause = this.client.unreachable();
    if (cause === undefined) return;
    const message = `${op.name} failed: Redis is unreachable (${cause.message})`;
    throw new UnavailableError(SOURCE, message, { cause });
  }

  /**
   * Run `script` with EVALSHA and map its reply with `then`. If the server lost the script
   * (NOSCRIPT: a restart, `SCRIPT FLUSH`, a new cluster node), nothing ran, so it is run once
   * as EVAL, which caches it again; but not once the caller was told the call failed
   * (`op.expired`): a late write must not happen after all.
   */
  #script<R>(
    script: LuaScript,
    keys: readonly string[],
    args: readonly string[],
    op: Operation,
    then: (reply: unknown) => R,
  ): Promise<R> {
    this.#assertReachable(op);
    const client = this.client;
    return client.evalsha(script.sha, keys, args).then(then, (err: unknown) => {
      if (op.expired || !(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return client.eval(script.source, keys, args).then(then);
    });
  }

  /**
   * Run a per-user script over every bucket: in one call on a single server, one call per
   * bucket (all in flight at once) on a cluster, where each bucket is its own slot.
   */
  #perBucketGroup(script: LuaScript, userId: string, args: string[], op: Operation) {
    const tags = this.layout.tags;
    const groups = this.client.isCluster ? tags.map((tag) => [tag]) : [tags];
    return Promise.all(
      groups.map((group) => {
        const keys = group.map((tag) => this.layout.userIndexKey(tag, userId));
        return this.#script(script, keys, [...args, ...group], op, (reply) => reply);
      }),
    );
  }

  /**
   * One page of a walk over the namespace: SCAN (never KEYS) on the server, or on each master
   * of a cluster in turn, and `onKeys` with what it found grouped by hash tag, so multi-key
   * commands never cross slots. The kit bounds each page on its own.
   */
  async #scanPage<T>(
    op: Operation,
    cursor: ScanCursor | undefined,
    none: T,
    onKeys: (bySlot: Map<string, string[]>) => Promise<T>,
  ): Promise<T | NextPage<T>> {
    this.#assertReachable(op);
    const at = cursor ?? { nodes: await this.client.scanNodes(op.signal), node: 0, at: '0' };
    const node = at.nodes[at.node];
    if (node === undefined) return none;
    const [next, found] = await node.scan(at.at, this.layout.scanPattern, SCAN_COUNT);
    const bySlot = new Map<string, string[]>();
    for (const redisKey of found) {
      const tag = this.layout.owns(redisKey);
      if (tag === undefined) continue;
      const keys = bySlot.get(tag);
      if (keys) keys.push(redisKey);
      else bySlot.set(tag, [redisKey]);
    }
    // Once the caller was told this page failed, start nothing new.
    const value = bySlot.size === 0 || op.expired ? none : await onKeys(bySlot);
    if (next !== '0') return more(value, { ...at, at: next });
    if (at.node + 1 < at.nodes.length) return more(value, { ...at, node: at.node + 1, at: '0' });
    return value;
  }
}

// Replies as the kit takes them; a version conflict is -1 in every script.
const toStored = (text: string | null) => (text === null ? undefined : parseEnvelope(text));
const toVersion = (reply: unknown) => (reply === -1 ? CONFLICT : (reply as number));
const toRemoved = (reply: unknown) => (reply === -1 ? CONFLICT : reply === 1);
const isOne = (reply: unknown) => reply === 1;
