/**
 * The DynamoDB session store: one item per session, compare-and-set through condition
 * expressions, visibility decided by the application clock, DynamoDB's TTL as garbage
 * collection only, and the user index through a global secondary index.
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidNamespace,
  assertValidSet,
  assertValidUserId,
  DEFAULT_NAMESPACE,
  type DeleteByUserOptions,
  decodeData,
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
} from '@sessions/core';
import {
  type BulkContext,
  batchDelete,
  batchGet,
  forEachLimited,
  queryUserIndex,
  scanNamespace,
} from './bulk.js';
import { ATTR, DYNAMODB_ITEM_LIMIT, type Item, readMeta, worstCaseOverhead } from './item.js';
import {
  boundedClientConfig,
  type DynamoDBStoreOptions,
  resolveDynamoOptions,
  SOURCE,
} from './options.js';
import { RequestRunner } from './runner.js';
import { SessionWrites } from './session-writes.js';
import { TableManager } from './table.js';

/** How many deletes `deleteByUser` keeps in flight. */
const DELETE_CONCURRENCY = 16;

/**
 * A {@link SessionStore} on DynamoDB (AWS SDK v3). Every request is bounded by
 * `operationTimeout` and cancelled when it runs out; the table is created on first use
 * unless `createTable: false`.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { boundedClientConfig, DynamoDBStore } from '@sessions/dynamodb';
 *
 * const client = new DynamoDBClient(boundedClientConfig({ region: 'eu-west-1' }));
 * const store = new DynamoDBStore({ client, tableName: 'sessions' });
 * await store.set('k1', { data: { n: 1 }, expiresAt: Date.now() + 60_000, userId: 'u1' });
 * (await store.get('k1'))?.data; // { n: 1 }
 * ```
 */
export class DynamoDBStore<D = SessionData> implements SessionStore<D> {
  /** Largest encoded payload: 400 KB minus the largest possible rest of the item. */
  readonly maxPayloadBytes: number;
  /** The table this store uses. */
  readonly tableName: string;
  readonly #opts: ResolvedStoreOptions<D>;
  readonly #client: DynamoDBClient;
  readonly #ownsClient: boolean;
  readonly #lifecycle = new StoreLifecycle(SOURCE);
  readonly #runner: RequestRunner;
  readonly #table: TableManager;
  readonly #writes: SessionWrites;
  readonly #bulk: BulkContext;
  /** `<namespace>#`: prefixes every key and userId, so namespaces never meet. */
  readonly #prefix: string;

  constructor(options: DynamoDBStoreOptions<D> = {}) {
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    // Validated before worstCaseOverhead measures it.
    assertValidNamespace(namespace, SOURCE);
    const limit = DYNAMODB_ITEM_LIMIT - worstCaseOverhead(namespace);
    this.#opts = resolveStoreOptions(options, SOURCE, limit);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    this.#prefix = `${namespace}#`;
    const dynamo = resolveDynamoOptions(options);
    this.tableName = dynamo.tableName;
    this.#ownsClient = options.client === undefined;
    this.#client =
      options.client ??
      new DynamoDBClient(boundedClientConfig(options.clientConfig, dynamo.timeoutMs));
    this.#runner = new RequestRunner(dynamo);
    this.#table = new TableManager({ ...dynamo, client: this.#client, send: this.#runner.bounded });
    this.#runner.table = this.#table;
    this.#writes = new SessionWrites(this.#client, this.tableName, this.#runner);
    this.#bulk = { ...dynamo, client: this.#client, runner: this.#runner };
  }

  /**
   * Create the table (on-demand billing) with its user index and TTL on `ttl`, and wait until
   * it is ACTIVE; a no-op when it already is. Safe to call from several processes at once.
   * Bounded per request by `operationTimeout` and overall by `tableWaitTimeout`.
   */
  async ensureTable(): Promise<void> {
    this.#lifecycle.assertOpen();
    try {
      await this.#table.ensure();
    } catch (err) {
      throw this.#runner.toSessionError(err, 'ensureTable');
    }
  }

  async get(key: string): Promise<SessionRecord<D> | undefined> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const out = await this.#runner.op('get', (abortSignal) =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: this.#key(key),
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
    if (!out.Item) return undefined;
    const meta = readMeta(out.Item, key);
    if (this.#opts.clock() >= meta.expiresAt) return undefined;
    return this.#toRecord(key, out.Item);
  }

  async set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    this.#lifecycle.assertOpen();
    assertValidSet<D>(key, record, options?.ifVersion, SOURCE);
    // Encoding enforces maxPayloadBytes, so an item over 400 KB is refused before any I/O.
    const encoded = encodeData(this.#opts, record.data);
    const uid = record.userId === undefined ? undefined : this.#prefix + record.userId;
    return this.#writes.set(
      this.#prefix + key,
      encoded,
      record.expiresAt,
      uid,
      options?.ifVersion,
      this.#opts.clock(),
    );
  }

  async touch(key: string, expiresAt: number): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    assertValidExpiresAt(expiresAt, SOURCE);
    return this.#writes.touch(this.#prefix + key, expiresAt, this.#opts.clock());
  }

  async delete(key: string): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const out = await this.#runner.op('delete', (abortSignal) =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: this.#key(key),
          ReturnValues: 'ALL_OLD',
        }),
        { abortSignal },
      ),
    );
    return out.Attributes !== undefined && this.#isLive(out.Attributes);
  }

  /**
   * Every live session of `userId`. Found through the user index (eventually consistent: a
   * session written a moment ago may be missing), then read again strongly consistent, so what
   * is returned is current, live by the clock, and still owned by `userId`.
   */
  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const uid = this.#prefix + userId;
    const pks = await queryUserIndex(this.#bulk, uid, this.#opts.clock());
    const items = await batchGet(this.#bulk, pks);
    const out: Array<StoredSession<D>> = [];
    for (const item of items) {
      if (item[ATTR.userId]?.S !== uid || !this.#isLive(item)) continue;
      const key = (item[ATTR.key]?.S ?? '').slice(this.#prefix.length);
      out.push({ key, record: this.#toRecord(key, item) });
    }
    return out;
  }

  /**
   * Delete every session of `userId` (but `except`), by primary key, each conditioned on
   * still belonging to `userId`. Sees what the user index sees (eventually consistent).
   */
  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    if (options?.except !== undefined) assertValidKey(options.except, SOURCE);
    const uid = this.#prefix + userId;
    const keep = options?.except === undefined ? undefined : this.#prefix + options.except;
    const pks = (await queryUserIndex(this.#bulk, uid)).filter((pk) => pk !== keep);
    let live = 0;
    await forEachLimited(pks, DELETE_CONCURRENCY, async (pk) => {
      const old = await this.#writes.deleteOwned(pk, uid);
      if (old && this.#isLive(old)) live++;
    });
    return live;
  }

  /** Every live session in this namespace. A full table Scan: for admin views, not requests. */
  async list(): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    const out: Array<StoredSession<D>> = [];
    await scanNamespace(
      this.#bulk,
      this.#prefix,
      async (items) => {
        for (const item of items) {
          if (!this.#isLive(item)) continue;
          const key = (item[ATTR.key]?.S ?? '').slice(this.#prefix.length);
          out.push({ key, record: this.#toRecord(key, item) });
        }
      },
      { liveAt: this.#opts.clock() },
    );
    return out;
  }

  /**
   * Delete every item of this namespace. A Scan of the whole table (filtered to this
   * namespace) plus batch deletes: its cost grows with the table, not the namespace.
   */
  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    await scanNamespace(
      this.#bulk,
      this.#prefix,
      (items) =>
        batchDelete(
          this.#bulk,
          items.map((item) => item[ATTR.key]?.S ?? '').filter((pk) => pk !== ''),
        ),
      { keysOnly: true },
    );
  }

  async close(): Promise<void> {
    if (!this.#lifecycle.close()) return;
    if (this.#ownsClient) this.#client.destroy();
  }

  #key(key: string): Item {
    return { [ATTR.key]: { S: this.#prefix + key } };
  }

  #isLive(item: Item): boolean {
    return this.#opts.clock() < readMeta(item, item[ATTR.key]?.S ?? '').expiresAt;
  }

  #toRecord(key: string, item: Item): SessionRecord<D> {
    const meta = readMeta(item, key);
    const record: SessionRecord<D> = {
      data: decodeData(this.#opts, item[ATTR.data]?.S, key),
      expiresAt: meta.expiresAt,
      version: meta.version,
    };
    if (meta.uid !== undefined) record.userId = meta.uid.slice(this.#prefix.length);
    return record;
  }
}
