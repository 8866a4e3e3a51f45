/**
 * DynamoDB's primitives for the store kit: one item per session (`item.ts`), written under the
 * condition expressions of `conditions.ts`, the user index on a global secondary index, the
 * bulk operations as pages (`bulk.ts`), the table made ready by `prepare` (`table.ts`). Every
 * request is cancelled by the operation's signal.
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import {
  CONFLICT,
  type Conflict,
  type ErrorKind,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredRecord,
} from '@sessions/core/kit';
import { BATCH_GET_MAX, batchDelete, batchGet, type Key, keysOf, page, readPage } from './bulk.js';
import {
  casCondition,
  deleteItem,
  errorName,
  touchUpdate,
  versionedUpdate,
  whenConditionFails,
} from './conditions.js';
import { ATTR, type Item, isLive, keyOf, sessionItem, toStored, ttlSeconds } from './item.js';
import {
  boundedClientConfig,
  type DynamoDBOwnOptions,
  type ResolvedDynamoOptions,
  resolveDynamoOptions,
  SOURCE,
} from './options.js';
import { ensureTable } from './table.js';

/** How many owner-checked deletes one page of `deleteByUser` sends at once. */
const DELETES_PER_PAGE = 16;
/** Keys per page of `clear()`: ten BatchWriteItems, sent together. */
const CLEAR_PAGE = 250;

/** One request of the low-level client, cancelled by the signal it is given. */
type Request<T> = (options: { abortSignal: AbortSignal }) => Promise<T>;

/** The DynamoDB driver behind `DynamoDBStore`. Internal. */
export class DynamoDBDriver implements StoreDriver {
  readonly client: DynamoDBClient;
  readonly settings: ResolvedDynamoOptions;
  readonly tableName: string;
  readonly userIndexName: string;
  /** `<namespace>#`: prefixes every key and userId, so namespaces never meet. */
  readonly prefix: string;
  /** The bound of one control-plane request, in ms (the store's `operationTimeout`). */
  readonly requestTimeout: number;
  readonly #ownsClient: boolean;
  /** The re-creation of a table that vanished, shared by every request that met it missing. */
  #recreating: Promise<void> | undefined;

  constructor(options: DynamoDBOwnOptions, namespace: string, operationTimeout: number) {
    this.settings = resolveDynamoOptions(options);
    ({ tableName: this.tableName, userIndexName: this.userIndexName } = this.settings);
    this.prefix = `${namespace}#`;
    this.requestTimeout = operationTimeout;
    this.#ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new DynamoDBClient(boundedClientConfig(options.clientConfig, operationTimeout));
  }

  async get(key: string, op: Operation): Promise<StoredRecord | undefined> {
    const input = {
      TableName: this.tableName,
      Key: keyOf(this.prefix + key),
      ConsistentRead: true,
    };
    const out = await this.send(op, (o) => this.client.send(new GetItemCommand(input), o));
    return out.Item && toStored(out.Item, this.prefix.length);
  }

  async set(write: RecordWrite, op: Operation): Promise<number | Conflict> {
    const pk = this.prefix + write.key;
    const uid = write.userId === undefined ? undefined : this.prefix + write.userId;
    const ttl = ttlSeconds(write.expiresAt, this.#skew(op));
    const put = (ifVersion: number) => {
      const Item = sessionItem(pk, write, uid, ifVersion + 1, ttl);
      const input = { TableName: this.tableName, Item, ...casCondition(ifVersion, op.now) };
      return this.send(op, (o) => this.client.send(new PutItemCommand(input), o)).then(
        () => ifVersion + 1,
        whenConditionFails(CONFLICT),
      );
    };
    if (write.ifVersion !== undefined) return put(write.ifVersion);
    const update = versionedUpdate(this.tableName, pk, uid, write, op.now, ttl);
    // Bounded: each round loses only to a concurrent writer flipping the record's liveness.
    for (let round = 0; round < 3; round++) {
      const updated = await this.send(op, (o) =>
        this.client.send(new UpdateItemCommand(update), o),
      ).then((out) => Number(out.Attributes?.[ATTR.version]?.N), whenConditionFails(CONFLICT));
      if (updated !== CONFLICT) return updated;
      // Not live, yet there: an expired item TTL has not removed. Replace it at version 1.
      const replaced = await put(0);
      if (replaced !== CONFLICT) return replaced;
    }
    throw new UnavailableError(SOURCE, 'set kept racing concurrent writers; nothing was written');
  }

  touch(key: string, expiresAt: number, op: Operation): Promise<boolean> {
    const ttl = ttlSeconds(expiresAt, this.#skew(op));
    const input = touchUpdate(this.tableName, this.prefix + key, expiresAt, op.now, ttl);
    return this.send(op, (o) => this.client.send(new UpdateItemCommand(input), o)).then(
      () => true,
      whenConditionFails(false),
    );
  }

  delete(key: string, ifVersion: number | undefined, op: Operation) {
    const input = deleteItem(this.tableName, this.prefix + key, { ifVersion, now: op.now });
    return this.send(op, (o) => this.client.send(new DeleteItemCommand(input), o))
      .then((removed) => isLive(removed.Attributes, op.now))
      .catch(whenConditionFails(CONFLICT));
  }

  /**
   * A page of the user's sessions: up to 100 keys from the user index (eventually consistent:
   * a session written a moment ago may be missing), then the items themselves, strongly
   * consistent, so what the kit checks for liveness and ownership is current.
   */
  async listByUser(userId: string, op: Operation, cursor: Key | undefined) {
    const query = { uid: this.prefix + userId, liveAt: op.now, limit: BATCH_GET_MAX };
    const found = await readPage(this, op, cursor, query);
    const items = await batchGet(this, op, keysOf(found.items));
    return page(items.map(this.#entry), found.next);
  }

  /**
   * A page of `deleteByUser`: keys from the user index, each deleted on condition that it
   * still belongs to the user (the index may be stale: a session that changed owner stays).
   */
  async deleteByUser(userId: string, except: string | undefined, op: Operation, cursor?: Key) {
    const owner = this.prefix + userId;
    const found = await readPage(this, op, cursor, { uid: owner, limit: DELETES_PER_PAGE });
    const keep = except === undefined ? undefined : this.prefix + except;
    const deletes = keysOf(found.items)
      .filter((pk) => pk !== keep)
      .map((pk) => {
        const input = deleteItem(this.tableName, pk, { owner, now: op.now });
        return this.send(op, (o) => this.client.send(new DeleteItemCommand(input), o)).then(
          (removed) => isLive(removed.Attributes, op.now),
          whenConditionFails(false),
        );
      });
    return page((await Promise.all(deletes)).filter(Boolean).length, found.next);
  }

  /** A page of the namespace's live items: a Scan of the whole table, for admin views. */
  async list(op: Operation, cursor: Key | undefined) {
    const found = await readPage(this, op, cursor, { liveAt: op.now });
    return page(found.items.map(this.#entry), found.next);
  }

  /** A page of `clear()`: a Scan of the whole table for this namespace's keys, then deletes. */
  async clear(op: Operation, cursor: Key | undefined) {
    const found = await readPage(this, op, cursor, { limit: CLEAR_PAGE });
    await batchDelete(this, op, keysOf(found.items));
    return page(undefined, found.next);
  }

  /** Create the table, its user index and TTL when missing, and wait until they are ACTIVE. */
  prepare(op: Operation): Promise<void> {
    return ensureTable(this, op);
  }

  close(): void {
    if (this.#ownsClient) this.client.destroy();
  }

  classify(error: unknown): ErrorKind | undefined {
    const name = errorName(error);
    const missingIndex =
      name === 'ValidationException' && /specified index/i.test((error as Error).message);
    if (name === 'ResourceNotFoundException' || missingIndex) {
      return new UnavailableError(
        SOURCE,
        `table "${this.tableName}" (or its index "${this.userIndexName}") does not exist; ` +
          'create it with ensureTable() or from the table definition in the README',
        { cause: error },
      );
    }
    // Any other refused argument is a request this driver built wrong: a bug, not an outage.
    return name === 'ValidationException' ? 'bug' : undefined;
  }

  /**
   * One request of `op`, cancelled by its signal; sent again once when the table turned out to
   * be missing and the store manages it (nothing was read or written: safe to recreate it).
   */
  async send<T>(op: Operation, request: Request<T>): Promise<T> {
    // The caller has been told the operation failed: start nothing new (no late write).
    if (op.expired) throw op.signal.reason;
    const options = { abortSignal: op.signal };
    try {
      return await request(options);
    } catch (err) {
      if (!this.settings.createTable || errorName(err) !== 'ResourceNotFoundException') throw err;
      this.#recreating ??= ensureTable(this, op, true).finally(() => {
        this.#recreating = undefined;
      });
      await this.#recreating;
      if (op.expired) throw op.signal.reason;
      return await request(options);
    }
  }

  /**
   * How far the server's clock is ahead of the application's at `op.now`: this machine's clock,
   * corrected by the skew the SDK measured from AWS's answers. Under a second it is the time
   * between two clock reads, not skew: the TTL is then exactly `expiresAt`'s.
   */
  #skew(op: Operation): number {
    const { systemClockOffset = 0 } = this.client.config as { systemClockOffset?: number };
    const skew = Date.now() + systemClockOffset - op.now;
    return Math.abs(skew) < 1000 ? 0 : skew;
  }

  readonly #entry = (item: Item) => ({
    key: (item[ATTR.key]?.S ?? '').slice(this.prefix.length),
    ...toStored(item, this.prefix.length),
  });
}
