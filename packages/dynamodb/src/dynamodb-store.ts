/**
 * The DynamoDB session store: DynamoDB's primitives ({@link DynamoDBDriver}) on the store kit,
 * with the kit's in-flight limit. DynamoDB's TTL removes expired items (late, as garbage
 * collection only): there is no prune.
 */
import type { SessionData } from '@sessions/core';
import { DriverStore } from '@sessions/core/kit';
import { DynamoDBDriver } from './dynamodb-driver.js';
import { DYNAMODB_ITEM_LIMIT, worstCaseOverhead } from './item.js';
import { DEFAULT_MAX_IN_FLIGHT, type DynamoDBStoreOptions, SOURCE } from './options.js';

/**
 * A `SessionStore` on DynamoDB (AWS SDK v3). Every operation is bounded by `operationTimeout`
 * and its request cancelled when it runs out; the table is created before first use unless
 * `createTable: false`.
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
export class DynamoDBStore<D = SessionData> extends DriverStore<D, DynamoDBDriver> {
  /** The table this store uses. */
  readonly tableName: string;

  /**
   * Use the `client` given, or create one from `clientConfig`; no request is sent yet.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: DynamoDBStoreOptions<D> = {}) {
    super(options, {
      source: SOURCE,
      // An item holds the namespace too: 400 KB minus the largest possible rest of the item.
      payloadLimit: (namespace) => DYNAMODB_ITEM_LIMIT - worstCaseOverhead(namespace),
      autoPrepare: options?.createTable !== false,
      maxInFlight: DEFAULT_MAX_IN_FLIGHT,
      driver: ({ namespace, operationTimeout }) =>
        new DynamoDBDriver(options, namespace, operationTimeout),
    });
    this.tableName = this.driver.tableName;
  }

  /**
   * Create the table (on-demand billing) with its user index and TTL on `ttl`, and wait until
   * it is ACTIVE; a no-op when it already is. Safe to call from several processes at once.
   * Bounded overall by `tableWaitTimeout`, and each request by `operationTimeout`.
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  ensureTable(): Promise<void> {
    return this.prepareNow('ensureTable', this.driver.settings.tableWaitTimeout);
  }
}
