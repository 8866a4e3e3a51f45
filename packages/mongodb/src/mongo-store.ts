/**
 * The MongoDB session store: one document per session, visibility by the application clock,
 * compare-and-set by filtered writes, every operation bounded by `operationTimeout`.
 */
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
  type DeleteByUserOptions,
  encodeData,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type SessionData,
  type SessionError,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  StoreLifecycle,
  type StoredSession,
  toSessionError,
  UnavailableError,
  withDeadline,
} from '@sessions/core';
import { type Collection, type Filter, type MongoClient, MongoTopologyClosedError } from 'mongodb';
import { connect } from './connection.js';
import { documentId, type SessionDocument, toRecord } from './document.js';
import { IndexSetup } from './indexes.js';
import {
  assertMongoOptions,
  BACKEND_PAYLOAD_LIMIT,
  DEFAULTS,
  type ExpiryMode,
  type MongoStoreOptions,
  SOURCE,
} from './options.js';
import { processWriteQueue } from './write-queue.js';
import { writeRecord } from './writes.js';

/**
 * A queued write that would start with less than this left of its bound gives up instead:
 * better a clean `UNAVAILABLE` before writing than a deadline hit in the middle of the write.
 */
const MIN_TIME_TO_WRITE_MS = 50;

/**
 * A {@link SessionStore} on the official `mongodb` driver (6.x or 7.x). Works with MongoDB and
 * MongoDB-wire servers such as FerretDB (in `expiryMode: 'prune'`).
 *
 * @example
 * ```ts
 * import { MongoStore } from '@sessions/mongodb';
 *
 * const store = new MongoStore({ url: 'mongodb://127.0.0.1:27017/app' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 3_600_000, userId: 'u1' });
 * const record = await store.get('k1'); // { data: { cart: [] }, expiresAt, userId: 'u1', version: 1 }
 * await store.close(); // closes the client it created from the URL
 * ```
 */
export class MongoStore<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  /** How expired documents are physically removed (see {@link ExpiryMode}). */
  readonly expiryMode: ExpiryMode;
  readonly #opts: ResolvedStoreOptions<D>;
  readonly #lifecycle = new StoreLifecycle(SOURCE);
  readonly #collection: Collection<SessionDocument>;
  readonly #client: MongoClient;
  readonly #ownedClient: MongoClient | undefined;
  readonly #indexes: IndexSetup;
  readonly #autoIndex: boolean;
  readonly #timeout: number;
  /** Prefix of this collection's entries in the process-wide write queue. */
  readonly #queuePrefix: string;
  readonly #onPruneError: (error: SessionError) => void;
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruning = false;
  /** Set when the client's topology was found closed; the next operation reconnects it. */
  #mustReconnect = false;
  #reconnecting: Promise<void> | undefined;

  constructor(options: MongoStoreOptions<D>) {
    assertMongoOptions(options as MongoStoreOptions<unknown>);
    this.#opts = resolveStoreOptions(options, SOURCE, BACKEND_PAYLOAD_LIMIT);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    this.expiryMode = options.expiryMode ?? DEFAULTS.expiryMode;
    this.#timeout = options.operationTimeout ?? DEFAULTS.operationTimeout;
    this.#autoIndex = options.autoIndex ?? true;
    this.#onPruneError = options.onPruneError ?? (() => {});
    const { collection, client, owned } = connect(options as MongoStoreOptions<unknown>, this.#timeout);
    this.#collection = collection;
    this.#client = client;
    this.#ownedClient = owned;
    this.#queuePrefix = `${collection.dbName}.${collection.collectionName}\0`;
    this.#indexes = new IndexSetup(collection, this.expiryMode);
    const interval = options.pruneInterval ?? DEFAULTS.pruneInterval;
    if (this.expiryMode !== 'ttl-index' && interval > 0) {
      this.#pruneTimer = setInterval(() => this.#pruneInBackground(), interval);
      // Housekeeping must never keep a process alive.
      this.#pruneTimer.unref();
    }
  }

  async get(key: string): Promise<SessionRecord<D> | undefined> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const now = new Date(this.#opts.clock());
    const doc = await this.#run('get', () => this.#collection.findOne({ _id: this.#id(key), expiresAt: { $gt: now } }));
    return doc ? toRecord(this.#opts, doc, key) : undefined;
  }

  async set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    this.#lifecycle.assertOpen();
    const ifVersion = options?.ifVersion;
    assertValidSet<D>(key, record, ifVersion, SOURCE);
    const encoded = encodeData(this.#opts, record.data);
    const id = this.#id(key);
    return this.#write('set', id, () =>
      writeRecord({
        collection: this.#collection,
        id,
        namespace: this.#opts.namespace,
        encoded,
        record: record as SessionRecord<unknown>,
        ifVersion,
        now: this.#opts.clock(),
      }),
    );
  }

  async touch(key: string, expiresAt: number): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    assertValidExpiresAt(expiresAt, SOURCE);
    const id = this.#id(key);
    return this.#write('touch', id, async () => {
      const now = this.#opts.clock();
      const live = { _id: id, expiresAt: { $gt: new Date(now) } };
      if (expiresAt <= now) {
        // Touching into the past ends the session: delete it, as `set` would.
        return (await this.#collection.deleteOne(live)).deletedCount === 1;
      }
      // No upsert: a missing or expired session is never created or resurrected.
      const result = await this.#collection.updateOne(live, { $set: { expiresAt: new Date(expiresAt) } });
      return result.matchedCount === 1;
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const id = this.#id(key);
    return this.#write('delete', id, async () => {
      const live = { _id: id, expiresAt: { $gt: new Date(this.#opts.clock()) } };
      // An expired document is left to the TTL index / prune: it is already invisible.
      return (await this.#collection.deleteOne(live)).deletedCount === 1;
    });
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const now = new Date(this.#opts.clock());
    const docs = await this.#run('listByUser', () =>
      this.#collection.find({ namespace: this.#opts.namespace, userId, expiresAt: { $gt: now } }).toArray(),
    );
    const prefixLength = this.#id('').length;
    return docs.map((doc) => {
      const key = doc._id.slice(prefixLength);
      return { key, record: toRecord(this.#opts, doc, key) };
    });
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const except = options?.except;
    if (except !== undefined) assertValidKey(except, SOURCE);
    const filter: Filter<SessionDocument> = {
      namespace: this.#opts.namespace,
      userId,
      expiresAt: { $gt: new Date(this.#opts.clock()) },
    };
    if (except !== undefined) filter._id = { $ne: this.#id(except) };
    const result = await this.#run('deleteByUser', () => this.#collection.deleteMany(filter));
    return result.deletedCount;
  }

  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    await this.#run('clear', () => this.#collection.deleteMany({ namespace: this.#opts.namespace }));
  }

  /** Delete this namespace's expired documents now; resolves to how many went. */
  async prune(): Promise<number> {
    this.#lifecycle.assertOpen();
    const now = new Date(this.#opts.clock());
    const result = await this.#run('prune', () =>
      this.#collection.deleteMany({ namespace: this.#opts.namespace, expiresAt: { $lte: now } }),
    );
    return result.deletedCount;
  }

  /**
   * Create the indexes now (they are otherwise created before the first operation, unless
   * `autoIndex: false`). Rejects with `UNAVAILABLE` naming `expiryMode` when the server refuses
   * the TTL index. Safe to call any number of times, also concurrently.
   */
  async ensureIndexes(): Promise<void> {
    this.#lifecycle.assertOpen();
    await this.#run('ensureIndexes', () => this.#indexes.ensure(), false);
  }

  async close(): Promise<void> {
    if (!this.#lifecycle.close()) return;
    clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
    if (!this.#ownedClient) return;
    try {
      await withDeadline(this.#ownedClient.close(), this.#timeout, SOURCE, 'close');
    } catch (err) {
      throw toSessionError(err, SOURCE, 'close');
    }
  }

  #id(key: string): string {
    return documentId(this.#opts.namespace, key);
  }

  /**
   * Run one operation within the bound: reconnect if needed, indexes first (once), then
   * `work`, which gets the operation's deadline. Driver errors become `UNAVAILABLE`.
   */
  async #run<T>(operation: string, work: (deadline: number) => Promise<T>, indexFirst = this.#autoIndex): Promise<T> {
    const deadline = Date.now() + this.#timeout;
    const attempt = async () => {
      if (this.#mustReconnect) await this.#reconnect();
      if (indexFirst && !this.#indexes.ready) await this.#indexes.ensure();
      return work(deadline);
    };
    try {
      return await withDeadline(attempt(), this.#timeout, SOURCE, operation);
    } catch (err) {
      const error = toSessionError(err, SOURCE, operation);
      if (err instanceof MongoTopologyClosedError || error.cause instanceof MongoTopologyClosedError) {
        this.#mustReconnect = true;
      }
      throw error;
    }
  }

  /**
   * Reopen the client's topology. When a client's first (automatic) connect fails, the driver
   * leaves its topology closed, and every later operation fails with "Topology is closed"
   * although the server is back: `connect()` builds a new one. Concurrent callers share it.
   */
  #reconnect(): Promise<void> {
    this.#reconnecting ??= this.#client
      .connect()
      .then(() => {
        this.#mustReconnect = false;
      })
      .finally(() => {
        this.#reconnecting = undefined;
      });
    return this.#reconnecting;
  }

  /** {@link #run}, queued behind this process's earlier writes to the same document. */
  #write<T>(operation: string, id: string, work: () => Promise<T>): Promise<T> {
    return this.#run(operation, (deadline) => {
      const queuedAt = Date.now();
      return processWriteQueue.run(this.#queuePrefix + id, async () => {
        // Waited out the bound behind earlier writes: give up before writing, not after.
        if (deadline - Date.now() < MIN_TIME_TO_WRITE_MS) {
          const waited = Date.now() - queuedAt;
          throw new UnavailableError(SOURCE, `${operation} waited ${waited} ms for earlier writes of this session`);
        }
        return work();
      });
    });
  }

  #pruneInBackground(): void {
    if (this.#pruning || this.#lifecycle.closed) return;
    this.#pruning = true;
    this.prune()
      .catch((err: unknown) => {
        try {
          this.#onPruneError(toSessionError(err, SOURCE, 'prune'));
        } catch {
          // A throwing error callback must not become an unhandled rejection in a timer.
        }
      })
      .finally(() => {
        this.#pruning = false;
      });
  }
}
