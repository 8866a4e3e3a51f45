/**
 * The Redis session store: one string per session, a sorted set per user and bucket as the
 * user index, Lua scripts for every write, the application clock for every visibility decision.
 */
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
  ConflictError,
  type Deadline,
  DeadlineQueue,
  type DeleteByUserOptions,
  encodeData,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
  StoreLifecycle,
  withDeadline,
} from '@sessions/core';
import type { Cluster, Redis } from 'ioredis';
import { type Connection, openConnection } from './connection.js';
import { formatExpiresAt, nativeTtl, recordOf } from './envelope.js';
import { SOURCE, typedError, unreachable } from './failures.js';
import { DEFAULT_BUCKETS, KeyLayout, MAX_BUCKETS } from './layout.js';
import { scanNamespace } from './namespace-scan.js';
import { DEFAULT_OPERATION_TIMEOUT, type RedisStoreOptions } from './options.js';
import {
  DELETE_SCRIPT,
  DELETE_USER_SCRIPT,
  LIST_SCRIPT,
  type LuaScript,
  runScript,
  SET_SCRIPT,
  setArgument,
  setValue,
  TOUCH_SCRIPT,
  touchArgument,
} from './scripts.js';

/** Redis's own limit on one value (`proto-max-bulk-len`, 512 MiB by default). */
const REDIS_VALUE_LIMIT = 512 * 1024 * 1024;

/**
 * A {@link SessionStore} on Redis (standalone or Cluster) through ioredis.
 *
 * `get` is one GET; `set`, `touch` and `delete` are one EVALSHA each, atomic with the user
 * index, on a single server and on Redis Cluster. Visibility is decided by the store's
 * `clock`; Redis's own expiry (`PX` of what the clock says is left) only removes what is
 * already invisible.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@sessions/redis';
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379', namespace: 'shop' });
 * const { version } = await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 60_000, userId: 'u1' });
 * await store.get('k1'); // { data: { cart: [] }, expiresAt, userId: 'u1', version: 1 }
 * await store.close();
 * ```
 */
export class RedisStore<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  /** Where this store's records live (see the README, "Layout in the backend"). */
  readonly layout: KeyLayout;
  /** The bound on one operation, in ms. */
  readonly operationTimeout: number;
  readonly #opts: ResolvedStoreOptions<D>;
  readonly #connection: Connection;
  readonly #deadlines: DeadlineQueue;
  readonly #lifecycle = new StoreLifecycle(SOURCE);

  constructor(options: RedisStoreOptions<D>) {
    this.#opts = resolveStoreOptions(options, SOURCE, REDIS_VALUE_LIMIT);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    this.operationTimeout = options.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT;
    if (!Number.isFinite(this.operationTimeout) || this.operationTimeout <= 0) {
      throw new TypeError(`[${SOURCE}] operationTimeout must be a positive number of ms`);
    }
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
      throw new TypeError(`[${SOURCE}] buckets must be an integer from 1 to ${MAX_BUCKETS}`);
    }
    this.layout = new KeyLayout(this.#opts.namespace, buckets);
    this.#deadlines = new DeadlineQueue({
      ms: this.operationTimeout,
      source: SOURCE,
      toError: typedError,
    });
    this.#connection = openConnection(options, this.operationTimeout, SOURCE);
  }

  /** The ioredis client in use (yours, or the one the store created). */
  get client(): Redis | Cluster {
    return this.#connection.client;
  }

  get(key: string): Promise<SessionRecord<D> | undefined> {
    // The hot path: a promise chain rather than an async function (one fewer promise per
    // call); a failed check still rejects rather than throws.
    try {
      this.#lifecycle.assertOpen();
      assertValidKey(key, SOURCE);
    } catch (err) {
      return Promise.reject(err);
    }
    const client = this.#connection.client;
    const sessionKey = this.layout.sessionKey(key);
    return this.#call(
      'get',
      () => client.get(sessionKey),
      (text) => (text === null ? undefined : this.#toRecord(key, text)),
    );
  }

  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    let keys: string[];
    let args: string[];
    try {
      this.#lifecycle.assertOpen();
      const ifVersion = options?.ifVersion;
      assertValidSet<D>(key, record, ifVersion, SOURCE);
      const data = encodeData(this.#opts, record.data);
      const tag = this.layout.tagOf(key);
      const sessionKey = `${tag}:s:${key}`;
      const { expiresAt, userId } = record;
      keys =
        userId === undefined ? [sessionKey] : [sessionKey, this.layout.userIndexKey(tag, userId)];
      const now = this.#opts.clock();
      args = [setArgument(now, ifVersion, expiresAt), setValue(expiresAt, ifVersion, userId, data)];
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#script('set', SET_SCRIPT, keys, args, toSetResult);
  }

  touch(key: string, expiresAt: number): Promise<boolean> {
    try {
      this.#lifecycle.assertOpen();
      assertValidKey(key, SOURCE);
      assertValidExpiresAt(expiresAt, SOURCE);
    } catch (err) {
      return Promise.reject(err);
    }
    const now = this.#opts.clock();
    const args = [touchArgument(now, nativeTtl(expiresAt, now), formatExpiresAt(expiresAt))];
    return this.#script('touch', TOUCH_SCRIPT, [this.layout.sessionKey(key)], args, isOne);
  }

  delete(key: string): Promise<boolean> {
    try {
      this.#lifecycle.assertOpen();
      assertValidKey(key, SOURCE);
    } catch (err) {
      return Promise.reject(err);
    }
    const args = [String(this.#opts.clock())];
    return this.#script('delete', DELETE_SCRIPT, [this.layout.sessionKey(key)], args, isOne);
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const replies = await this.#perBucketGroup('listByUser', LIST_SCRIPT, userId, [
      this.#opts.clock(),
      userId,
    ]);
    const sessions: Array<StoredSession<D>> = [];
    for (const reply of replies) {
      const flat = reply as string[];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const key = flat[i] as string;
        const record = this.#toRecord(key, flat[i + 1] as string);
        if (record) sessions.push({ key, record });
      }
    }
    return sessions;
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const except = options?.except;
    if (except !== undefined) assertValidKey(except, SOURCE);
    const args = [this.#opts.clock(), userId, except ?? ''];
    const counts = await this.#perBucketGroup('deleteByUser', DELETE_USER_SCRIPT, userId, args);
    return counts.reduce<number>((sum, count) => sum + Number(count), 0);
  }

  /**
   * Every live session of this namespace: SCAN on the server (on every master of a cluster),
   * then one MGET per hash slot and page. A full scan: for admin views, not the hot path.
   */
  async list(): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    const client = this.#connection.client;
    const sessions: Array<StoredSession<D>> = [];
    await this.#scanNamespace('list', async (bySlot) => {
      const reads = [...bySlot].map(async ([tag, redisKeys]) => {
        const sessionKeys = redisKeys.filter((redisKey) => redisKey.startsWith(`${tag}:s:`));
        if (sessionKeys.length === 0) return;
        const texts = await client.mget(...sessionKeys);
        texts.forEach((text, i) => {
          const key = (sessionKeys[i] as string).slice(tag.length + 3);
          const record = text === null ? undefined : this.#toRecord(key, text);
          if (record) sessions.push({ key, record });
        });
      });
      await Promise.all(reads);
    });
    return sessions;
  }

  /**
   * Remove every key of this namespace: SCAN (never KEYS) on the server, or on every master of
   * a cluster, and UNLINK what matches, one hash slot per call.
   */
  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    const client = this.#connection.client;
    await this.#scanNamespace('clear', async (bySlot) => {
      await Promise.all([...bySlot.values()].map((redisKeys) => client.unlink(...redisKeys)));
    });
  }

  async close(): Promise<void> {
    if (!this.#lifecycle.close() || !this.#connection.owned) return;
    const client = this.#connection.client;
    try {
      await withDeadline(client.quit(), this.operationTimeout, SOURCE, 'close');
    } catch {
      // Redis is unreachable, so there is nobody to say goodbye to; disconnect() below
      // releases the sockets and timers either way, which is all close() promises.
    } finally {
      client.disconnect();
    }
  }

  /**
   * Run `work` bounded by `operationTimeout`, turn any failure into a typed error, and map the
   * result with `then` (in the same step, one promise fewer on the hot path). While the client
   * is reconnecting (Redis known to be unreachable) it fails at once instead of queueing.
   */
  #call<T, R = T>(
    operation: string,
    work: (deadline: Deadline) => Promise<T>,
    then?: (value: T) => R,
  ): Promise<R> {
    const connection = this.#connection;
    if (connection.client.status === 'reconnecting') {
      return Promise.reject(unreachable(operation, connection));
    }
    return this.#deadlines.run(operation, work, then);
  }

  #script<R>(
    operation: string,
    script: LuaScript,
    keys: string[],
    args: Array<string | number>,
    then: (reply: unknown) => R,
  ): Promise<R> {
    const client = this.#connection.client;
    return this.#call(
      operation,
      (deadline) => runScript(client, script, keys, args, deadline),
      then,
    );
  }

  /**
   * Run a per-user script over every bucket: in one call on a single server, one call per
   * bucket (all in flight at once) on a cluster, where each bucket is its own slot.
   */
  #perBucketGroup(
    operation: string,
    script: LuaScript,
    userId: string,
    args: Array<string | number>,
  ): Promise<unknown[]> {
    const tags = this.layout.tags;
    const groups = this.#connection.isCluster ? tags.map((tag) => [tag]) : [tags];
    const client = this.#connection.client;
    const calls = (deadline: Deadline) =>
      groups.map((group) =>
        runScript(
          client,
          script,
          group.map((tag) => this.layout.userIndexKey(tag, userId)),
          [...args, ...group],
          deadline,
        ),
      );
    return this.#call(operation, (deadline) => Promise.all(calls(deadline)));
  }

  /** Walk this store's namespace (see namespace-scan.ts), every step bounded and typed. */
  #scanNamespace(
    operation: string,
    onPage: (bySlot: Map<string, string[]>) => Promise<void>,
  ): Promise<void> {
    const bounded = <T>(work: () => Promise<T>) => this.#call(operation, work);
    return scanNamespace(this.#connection, this.layout, bounded, this.operationTimeout, onPage);
  }

  #toRecord(key: string, text: string): SessionRecord<D> | undefined {
    return recordOf(this.#opts, key, text);
  }
}

/** The set script's reply: the new version, or -1 for a version conflict. */
function toSetResult(reply: unknown): SetResult {
  if (reply === -1) throw new ConflictError(SOURCE);
  return { version: reply as number };
}

/** The touch and delete scripts' reply: 1 when the record was live. */
function isOne(reply: unknown): boolean {
  return reply === 1;
}
