/**
 * The MongoDB session store: one document per session, visibility by the application clock,
 * compare-and-set by filtered writes, every operation bounded by `operationTimeout`.
 */
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
  ConflictError,
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
  type StoredSession,
  StoreLifecycle,
  toSessionError,
  withDeadline,
} from '@sessions/core';
import type { Collection, Filter, MongoClient, WithId } from 'mongodb';
import { connect, TopologyReopener } from './connection.js';
import { documentId, type SessionDocument, toRecord } from './document.js';
import { IndexSetup } from './indexes.js';
import { OperationRunner } from './operation-runner.js';
import {
  assertMongoOptions,
  BACKEND_PAYLOAD_LIMIT,
  DEFAULTS,
  type ExpiryMode,
  type MongoStoreOptions,
  SOURCE,
} from './options.js';
import { mustConflict, writeRecord } from './writes.js';

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
  readonly #ownedClient: MongoClient | undefined;
  readonly #indexes: IndexSetup;
  readonly #runner: OperationRunner;
  readonly #timeout: number;
  readonly #onPruneError: (error: SessionError) => void;
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruning = false;

  constructor(options: MongoStoreOptions<D>) {
    assertMongoOptions(options as MongoStoreOptions<unknown>);
    this.#opts = resolveStoreOptions(options, SOURCE, BACKEND_PAYLOAD_LIMIT);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    this.expiryMode = options.expiryMode ?? DEFAULTS.expiryMode;
    this.#timeout = options.operationTimeout ?? DEFAULTS.operationTimeout;
    this.#onPruneError = options.onPruneError ?? (() => {});
    const { collection, client, owned } = connect(
      options as MongoStoreOptions<unknown>,
      this.#timeout,
    );
    this.#collection = collection;
    this.#ownedClient = owned;
    this.#indexes = new IndexSetup(collection, this.expiryMode);
    this.#runner = new OperationRunner({
      timeout: this.#timeout,
      indexes: this.#indexes,
      autoIndex: options.autoIndex ?? true,
      topology: new TopologyReopener(client),
      queueScope: `${collection.dbName}.${collection.collectionName}`,
    });
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
    const doc = await this.#runner.run('get', () =>
      this.#collection.findOne({ _id: this.#id(key), expiresAt: { $gt: now } }),
    );
    return doc ? toRecord(this.#opts, doc, key) : undefined;
  }

  async set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    this.#lifecycle.assertOpen();
    const ifVersion = options?.ifVersion;
    assertValidSet<D>(key, record, ifVersion, SOURCE);
    const encoded = encodeData(this.#opts, record.data);
    const id = this.#id(key);
    return this.#runner.write('set', id, async (previous, chain) => {
      const now = this.#opts.clock();
      if (mustConflict(previous, ifVersion, now)) {
        // Nothing was written: what the previous write left still stands for the next one.
        chain.last = previous;
        throw new ConflictError(SOURCE);
      }
      const result = await writeRecord({
        collection: this.#collection,
        id,
        namespace: this.#opts.namespace,
        encoded,
        record: record as SessionRecord<unknown>,
        ifVersion,
        now,
      });
      if (result.version > 0) chain.last = { version: result.version, expiresAt: record.expiresAt };
      return result;
    });
  }

  async touch(key: string, expiresAt: number): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    assertValidExpiresAt(expiresAt, SOURCE);
    const id = this.#id(key);
    return this.#runner.write('touch', id, async () => {
      const now = this.#opts.clock();
      const live = { _id: id, expiresAt: { $gt: new Date(now) } };
      if (expiresAt <= now) {
        // Touching into the past ends the session: delete it, as `set` would.
        return (await this.#collection.deleteOne(live)).deletedCount === 1;
      }
      // No upsert: a missing or expired session is never created or resurrected.
      const result = await this.#collection.updateOne(live, {
        $set: { expiresAt: new Date(expiresAt) },
      });
      return result.matchedCount === 1;
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const id = this.#id(key);
    return this.#runner.write('delete', id, async () => {
      const live = { _id: id, expiresAt: { $gt: new Date(this.#opts.clock()) } };
      // An expired document is left to the TTL index / prune: it is already invisible.
      return (await this.#collection.deleteOne(live)).deletedCount === 1;
    });
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const now = new Date(this.#opts.clock());
    const docs = await this.#runner.run('listByUser', () =>
      this.#collection
        .find({ namespace: this.#opts.namespace, userId, expiresAt: { $gt: now } })
        .toArray(),
    );
    return this.#toSessions(docs);
  }

  /** Every live session of this namespace: a scan of the namespace (keep it off the hot path). */
  async list(): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    const now = new Date(this.#opts.clock());
    const docs = await this.#runner.run('list', () =>
      this.#collection.find({ namespace: this.#opts.namespace, expiresAt: { $gt: now } }).toArray(),
    );
    return this.#toSessions(docs);
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
    const result = await this.#runner.run('deleteByUser', () =>
      this.#collection.deleteMany(filter),
    );
    return result.deletedCount;
  }

  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    await this.#runner.run('clear', () =>
      this.#collection.deleteMany({ namespace: this.#opts.namespace }),
    );
  }

  /** Delete this namespace's expired documents now; resolves to how many went. */
  async prune(): Promise<number> {
    this.#lifecycle.assertOpen();
    const now = new Date(this.#opts.clock());
    const result = await this.#runner.run('prune', () =>
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
    await this.#runner.run('ensureIndexes', () => this.#indexes.ensure(), false);
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

  #toSessions(docs: Array<WithId<SessionDocument>>): Array<StoredSession<D>> {
    const prefixLength = this.#id('').length;
    return docs.map((doc) => {
      const key = doc._id.slice(prefixLength);
      return { key, record: toRecord(this.#opts, doc, key) };
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
