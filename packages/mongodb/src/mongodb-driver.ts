/**
 * MongoDB's primitives for the store kit: one document per session, compare-and-set by
 * filtered writes. Every command carries the operation's `signal`, so a timed-out call stops
 * waiting instead of finishing in the background. The kit does the rest.
 */
import {
  type Conflict,
  type ErrorKind,
  more,
  type Operation,
  type Paged,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
  type StoredRecord,
} from '@sessions/core/kit';
import {
  type Collection,
  type CommandOperationOptions,
  type Db,
  type Filter,
  type MongoClient,
  MongoInvalidArgumentError,
} from 'mongodb';
import { connect, TopologyReopener } from './connection.js';
import { documentId, type SessionDocument, toStored } from './document.js';
import { needsWriteQueue, queueWrite } from './ferretdb.js';
import { createIndexes } from './indexes.js';
import type { ExpiryMode, MongoDBStoreOptions } from './options.js';
import { removeRecord, type WriteTarget, writeRecord } from './writes.js';

/**
 * Documents one page of `prune` or `deleteByUser` deletes where each is its own queued write
 * (FerretDB): few enough to finish within the operation's deadline, so every page makes
 * progress. Unpaged, a backlog of expired documents made every prune time out before it
 * deleted anything, and the backlog only grew (a one-hour soak on a loaded machine).
 */
const DELETES_PER_PAGE = 100;

/** A collection's namespace as a driver. Internal to `MongoDBStore`. */
export class MongoDBDriver implements StoreDriver {
  readonly collection: Collection<SessionDocument>;
  readonly #db: Db;
  readonly #owned: MongoClient | undefined;
  readonly #topology: TopologyReopener;
  readonly #namespace: string;
  readonly #mode: ExpiryMode;
  /** `<database>.<collection>`: writes to one document of it share the FerretDB queue. */
  readonly #scope: string;
  /** Whether writes go through the FerretDB queue; undefined until the server was asked. */
  #serialize: boolean | undefined;
  #detecting: Promise<boolean> | undefined;

  constructor(
    options: MongoDBStoreOptions<unknown>,
    namespace: string,
    mode: ExpiryMode,
    operationTimeout: number,
  ) {
    const { db, collection, client, owned } = connect(options, operationTimeout);
    this.#db = db;
    this.collection = collection;
    this.#owned = owned;
    this.#topology = new TopologyReopener(client);
    this.#namespace = namespace;
    this.#mode = mode;
    this.#scope = `${collection.dbName}.${collection.collectionName}`;
    const serialize = options.serializeWrites ?? 'auto';
    this.#serialize = serialize === 'auto' ? undefined : serialize;
  }

  get(key: string, op: Operation): Promise<StoredRecord | undefined> {
    const filter = { _id: this.#id(key), expiresAt: { $gt: new Date(op.now) } };
    return this.#io(() => this.collection.findOne(filter, { signal: op.signal })).then((doc) =>
      doc ? toStored(doc) : undefined,
    );
  }

  set(write: RecordWrite, op: Operation): Promise<number | Conflict> {
    return this.#write(write.key, op, (target) => writeRecord(target, write), write);
  }

  touch(key: string, expiresAt: number, op: Operation): Promise<boolean> {
    return this.#write(key, op, async ({ collection, id, options }) => {
      // No upsert: a missing or expired session is never created or resurrected.
      const live = { _id: id, expiresAt: { $gt: new Date(op.now) } };
      const update = { $set: { expiresAt: new Date(expiresAt) } };
      return (await collection.updateOne(live, update, options)).matchedCount === 1;
    });
  }

  delete(key: string, ifVersion: number | undefined, op: Operation): Promise<boolean | Conflict> {
    return this.#write(key, op, (target) => removeRecord(target, ifVersion));
  }

  listByUser(userId: string, op: Operation): Promise<StoredEntry[]> {
    return this.#find({ ...this.#liveIn(op), userId }, op);
  }

  deleteByUser(userId: string, except: string | undefined, op: Operation): Paged<number> {
    const filter: Filter<SessionDocument> = { ...this.#liveIn(op), userId };
    if (except !== undefined) filter._id = { $ne: this.#id(except) };
    return this.#deleteMatching(filter, op, { userId, expiresAt: { $gt: new Date(op.now) } });
  }

  /** Every live session of the namespace: a scan of it (keep it off the hot path). */
  list(op: Operation): Promise<StoredEntry[]> {
    return this.#find(this.#liveIn(op), op);
  }

  async clear(op: Operation): Promise<void> {
    await this.#deleteMany({ namespace: this.#namespace }, op);
  }

  prune(op: Operation): Paged<number> {
    const expired = { expiresAt: { $lte: new Date(op.now) } };
    return this.#deleteMatching({ namespace: this.#namespace, ...expired }, op, expired);
  }

  /** Ask the server what it is (when `serializeWrites: 'auto'`) and create the indexes. */
  prepare(op: Operation): Promise<void> {
    return this.#io(async () => {
      await this.#detect(op);
      await createIndexes(this.collection, this.#mode, op.signal);
    });
  }

  async close(): Promise<void> {
    await this.#owned?.close();
  }

  classify(error: unknown): ErrorKind | undefined {
    // The driver refusing an argument is a bug of ours, not an outage.
    return error instanceof MongoInvalidArgumentError ? 'bug' : undefined;
  }

  #id(key: string): string {
    return documentId(this.#namespace, key);
  }

  /** The live documents of the namespace (on the user index or the expiry index). */
  #liveIn(op: Operation): Filter<SessionDocument> {
    return { namespace: this.#namespace, expiresAt: { $gt: new Date(op.now) } };
  }

  /** Driver work, after reopening a topology the driver left closed. */
  #io<T>(work: () => Promise<T>): Promise<T> {
    return this.#topology.run(work);
  }

  #find(filter: Filter<SessionDocument>, op: Operation): Promise<StoredEntry[]> {
    const prefix = this.#id('').length;
    return this.#io(() => this.collection.find(filter, { signal: op.signal }).toArray()).then(
      (docs) => docs.map((doc) => ({ key: doc._id.slice(prefix), ...toStored(doc) })),
    );
  }

  /**
   * Delete what `filter` matches. FerretDB matches a `deleteMany` on a snapshot, then deletes by
   * `_id`: a session written meanwhile (given to another user, made live again) would go too.
   * There, each match is deleted behind this process's writes to it, `still` checked again, a
   * page of {@link DELETES_PER_PAGE} at a time (the next page finds what is left).
   */
  async #deleteMatching(
    filter: Filter<SessionDocument>,
    op: Operation,
    still: Filter<SessionDocument>,
  ): Promise<Awaited<Paged<number>>> {
    if (!(this.#serialize ?? (await this.#io(() => this.#detect(op))))) {
      return this.#deleteMany(filter, op);
    }
    const prefix = this.#id('').length;
    const options = { projection: { _id: 1 }, limit: DELETES_PER_PAGE, signal: op.signal };
    const matched = await this.#io(() => this.collection.find(filter, options).toArray());
    const deleted = await Promise.all(
      matched.map(({ _id }) =>
        this.#write(_id.slice(prefix), op, async ({ collection, id, options }) => {
          return (await collection.deleteOne({ _id: id, ...still }, options)).deletedCount;
        }),
      ),
    );
    const count = deleted.reduce((sum, n) => sum + n, 0);
    return matched.length === DELETES_PER_PAGE ? more(count, true) : count;
  }

  async #deleteMany(filter: Filter<SessionDocument>, op: Operation): Promise<number> {
    const result = await this.#io(() => this.collection.deleteMany(filter, cancellable(op)));
    return result.deletedCount;
  }

  /** Whether writes are queued: the option, else the server's answer (asked once, shared). */
  #detect(op: Operation): Promise<boolean> {
    if (this.#serialize !== undefined) return Promise.resolve(this.#serialize);
    this.#detecting ??= needsWriteQueue(this.#db, op).then(
      (serialize) => (this.#serialize = serialize),
      (err: unknown) => {
        this.#detecting = undefined;
        throw err;
      },
    );
    return this.#detecting;
  }

  /**
   * One write to the document of `key`: on FerretDB behind this process's earlier writes to it
   * (`set`: the write of a `set`, for the queue's compare-and-set shortcut), else directly.
   */
  #write<T>(
    key: string,
    op: Operation,
    work: (target: WriteTarget) => Promise<T>,
    set?: RecordWrite,
  ): Promise<T> {
    const id = this.#id(key);
    const { collection } = this;
    const target = {
      collection,
      id,
      namespace: this.#namespace,
      now: op.now,
      options: cancellable(op),
    };
    return this.#io(async () =>
      (this.#serialize ?? (await this.#detect(op)))
        ? queueWrite(`${this.#scope}\0${id}`, op, () => work(target), set)
        : work(target),
    );
  }
}

/**
 * Driver options that cancel a command at the operation's deadline. Drivers from 6.13 honour
 * `signal` in every operation (server selection, the pool checkout, the socket), though they
 * document and type it for reads only; older ones ignore it (the kit's deadline still answers).
 * No `timeoutMS`: experimental in 6.x, and a documented no-op in current 7.x.
 */
function cancellable(op: Operation): CommandOperationOptions {
  return { signal: op.signal } as CommandOperationOptions;
}
