/**
 * DynamoDB's primitives for the store kit: one item per session (`item.ts`), written under the
 * condition expressions of `conditions.ts`, the user index on a global secondary index, the
 * bulk operations as pages (`bulk.ts`), the table made ready by `prepare` (`table.ts`). Every
 * request waits for a request slot and is cancelled by the operation's signal.
 */
import { performance } from 'node:perf_hooks';
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
  deadlineExceeded,
  type ErrorKind,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredRecord,
} from '@sessions/core/kit';
import {
  BATCH_GET_MAX,
  type BulkTarget,
  batchDelete,
  batchGet,
  type Key,
  keysOf,
  page,
  readPage,
} from './bulk.js';
import {
  casCondition,
  deleteItem,
  touchUpdate,
  versionedUpdate,
  whenConditionFails,
} from './conditions.js';
import { ATTR, type Item, isLive, sessionItem, toStored } from './item.js';
import {
  boundedClientConfig,
  type DynamoDBOwnOptions,
  type ResolvedDynamoOptions,
  resolveDynamoOptions,
  SOURCE,
} from './options.js';
import { Slots } from './slots.js';
import { ensureTable, errorName, type TableTarget } from './table.js';

/** How many owner-checked deletes one page of `deleteByUser` sends at once. */
const DELETES_PER_PAGE = 16;
/** Keys per page of `clear()`: ten BatchWriteItems, sent together. */
const CLEAR_PAGE = 250;

/** The DynamoDB driver behind `DynamoDBStore`. Internal. */
export class DynamoDBDriver implements StoreDriver, BulkTarget, TableTarget {
  readonly client: DynamoDBClient;
  readonly settings: ResolvedDynamoOptions;
  readonly tableName: string;
  readonly userIndexName: string;
  /** `<namespace>#`: prefixes every key and userId, so namespaces never meet. */
  readonly prefix: string;
  readonly requestTimeout: number;
  readonly #ownsClient: boolean;
  readonly #slots: Slots;
  /** The re-creation of a table that vanished, shared by every request that met it missing. */
  #recreating: Promise<void> | undefined;

  constructor(options: DynamoDBOwnOptions, namespace: string, operationTimeout: number) {
    this.settings = resolveDynamoOptions(options);
    ({ tableName: this.tableName, userIndexName: this.userIndexName } = this.settings);
    this.prefix = `${namespace}#`;
    this.requestTimeout = operationTimeout;
    this.#slots = new Slots(this.settings.maxConcurrentRequests);
    this.#ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new DynamoDBClient(boundedClientConfig(options.clientConfig, operationTimeout));
  }

  async get(key: string, op: Operation): Promise<StoredRecord | undefined> {
    const Key = { [ATTR.key]: { S: this.prefix + key } };
    const input = { TableName: this.tableName, Key, ConsistentRead: true };
    const out = await this.send(op, (o) => this.client.send(new GetItemCommand(input), o));
    return out.Item && toStored(out.Item, this.prefix.length);
  }

  async set(write: RecordWrite, op: Operation): Promise<number | Conflict> {
    const pk = this.prefix + write.key;
    const uid = write.userId === undefined ? undefined : this.prefix + write.userId;
    const put = (ifVersion: number) => {
      const Item = sessionItem(pk, write.data, write.expiresAt, uid, ifVersion + 1);
      const input = { TableName: this.tableName, Item, ...casCondition(ifVersion, op.now) };
      return this.send(op, (o) => this.client.send(new PutItemCommand(input), o)).then(
        () => ifVersion + 1,
        whenConditionFails(CONFLICT),
      );
    };
    if (write.ifVersion !== undefined) return put(write.ifVersion);
    const update = versionedUpdate(this.tableName, pk, uid, write, op.now);
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
    const input = touchUpdate(this.tableName, this.prefix + key, expiresAt, op.now);
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
   * One request of `op`: within the request slots, cancelled by `op.signal`; sent again once
   * when the table turned out to be missing and the store manages it.
   */
  async send<T>(op: Operation, request: (o: { abortSignal: AbortSignal }) => Promise<T>) {
    if (op.expired) throw this.#late(op);
    const waiting = this.#slots.acquire(op);
    if (waiting !== undefined) await waiting;
    let sentAt: number | undefined;
    try {
      // A slot can come free in the very tick the deadline passes, before the kit's timer
      // runs: never start a request that is already late (under a burst, thousands of them
      // would each pay the SDK's CPU cost and delay every other timer).
      if (op.expired || op.remaining() <= 0) throw this.#late(op);
      sentAt = performance.now();
      const options = { abortSignal: op.signal };
      try {
        return await request(options);
      } catch (err) {
        // Nothing listens at the endpoint (the SDK already retried): the requests queued behind
        // this one would meet the same refusal, one slot at a time, until their deadlines all
        // fire at once. Fail them now, with this error as their cause.
        if ((err as { code?: unknown } | null)?.code === 'ECONNREFUSED') this.#slots.refuseAll(err);
        // A missing table means nothing was read or written: safe to recreate it and send again.
        if (!this.settings.createTable || errorName(err) !== 'ResourceNotFoundException') throw err;
        this.#recreating ??= ensureTable(this, op, true).finally(() => {
          this.#recreating = undefined;
        });
        await this.#recreating;
        if (op.expired) throw this.#late(op);
        return await request(options);
      }
    } finally {
      this.#slots.release(sentAt === undefined ? undefined : performance.now() - sentAt);
    }
  }

  #late(op: Operation): UnavailableError {
    return deadlineExceeded(SOURCE, op.name, this.requestTimeout);
  }

  readonly #entry = (item: Item) => ({
    key: (item[ATTR.key]?.S ?? '').slice(this.prefix.length),
    ...toStored(item, this.prefix.length),
  });
}
