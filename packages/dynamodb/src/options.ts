/**
 * Options of the DynamoDB store, and the client settings that keep every request bounded. The
 * options every store shares, `maxInFlight` included, are the kit's.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import {
  choiceOption,
  DEFAULT_OPERATION_TIMEOUT,
  type InFlightOptions,
  integerOption,
  MAX_TIMER_MS,
  oneOfOptions,
} from '@sessions/core/kit';

/** The package name every error of this store carries as `source`. */
export const SOURCE = '@sessions/dynamodb';
/** The default table name. */
export const DEFAULT_TABLE_NAME = 'sessions';
/** The default name of the global secondary index that serves the user index. */
export const DEFAULT_USER_INDEX_NAME = 'uid-index';
/** The default bound of `ensureTable()`, waiting for ACTIVE included. */
export const DEFAULT_TABLE_WAIT_TIMEOUT_MS = 120_000;
/** The default `maxInFlight`: each SDK request costs a millisecond or two of CPU. */
export const DEFAULT_MAX_IN_FLIGHT = 64;

/**
 * Options of {@link DynamoDBStore}.
 *
 * @example
 * ```ts
 * const store = new DynamoDBStore({ client, tableName: 'app-sessions', namespace: 'web' });
 * ```
 */
export interface DynamoDBStoreOptions<D = SessionData>
  extends BaseStoreOptions<D>,
    InFlightOptions {
  /**
   * Your client, never destroyed by the store. Give it bounded settings (see
   * {@link boundedClientConfig}); the store bounds and cancels every operation whatever it does.
   */
  client?: DynamoDBClient;
  /**
   * Settings (`region`, `endpoint`, `credentials`...) for a client the store creates, bounded as
   * {@link boundedClientConfig} does, and destroys on `close()`.
   */
  clientConfig?: DynamoDBClientConfig;
  /** The table (default `"sessions"`); several namespaces share one table. */
  tableName?: string;
  /** The global secondary index on `uid` that serves the user index (default `"uid-index"`). */
  userIndexName?: string;
  /**
   * Create the table, its index and TTL when missing, before first use and again if the table
   * vanishes (default `true`). `false` for a table managed as code: the store then never calls a
   * control-plane API by itself (`ensureTable()` still works).
   */
  createTable?: boolean;
  /** How long `ensureTable()` may take, waiting for ACTIVE included (default 120 s). */
  tableWaitTimeout?: number;
  /** Most operations in the SDK at once (default 64); see `InFlightOptions` in the kit. */
  maxInFlight?: number;
}

/**
 * A client config with bounded retries and timeouts, for a `DynamoDBClient` that serves a
 * session store: at most 2 attempts (the retry helps with fast failures: a refused
 * connection, a throttled or 5xx answer), and connection and request timeouts of
 * `operationTimeout`. The SDK counts the wait for a free socket (50 per client by default) in
 * its connection timeout, so a shorter one fails requests under bursts that the store's own
 * deadline would have served. Settings you pass win.
 *
 * @example
 * ```ts
 * const client = new DynamoDBClient(boundedClientConfig({ region: 'eu-west-1' }));
 * ```
 */
export function boundedClientConfig(
  config: DynamoDBClientConfig = {},
  operationTimeout = DEFAULT_OPERATION_TIMEOUT,
): DynamoDBClientConfig {
  const requestHandler = config.requestHandler ?? {
    connectionTimeout: operationTimeout,
    requestTimeout: operationTimeout,
    throwOnRequestTimeout: true,
  };
  return { maxAttempts: 2, ...config, requestHandler };
}

/** The options only the DynamoDB store has. */
export type DynamoDBOwnOptions = Omit<DynamoDBStoreOptions, keyof BaseStoreOptions>;
/** The DynamoDB-specific options after defaults and validation. */
export type ResolvedDynamoOptions = Readonly<
  Required<
    Pick<DynamoDBOwnOptions, 'tableName' | 'userIndexName' | 'createTable' | 'tableWaitTimeout'>
  >
>;

/** Table and index names DynamoDB accepts: 3–255 of `a-z A-Z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Apply defaults to the DynamoDB-specific options; a TypeError for a value that cannot work. */
export function resolveDynamoOptions(options: DynamoDBOwnOptions): ResolvedDynamoOptions {
  oneOfOptions(options, ['client', 'clientConfig'], SOURCE, false);
  const { tableName = DEFAULT_TABLE_NAME, userIndexName = DEFAULT_USER_INDEX_NAME } = options;
  for (const [what, name] of Object.entries({ tableName, userIndexName })) {
    if (!TABLE_NAME.test(name)) {
      throw new TypeError(`[${SOURCE}] ${what} must be 3 to 255 characters of a-z A-Z 0-9 _ - .`);
    }
  }
  const range = { source: SOURCE, min: 1, max: MAX_TIMER_MS };
  const wait = integerOption(
    options.tableWaitTimeout,
    DEFAULT_TABLE_WAIT_TIMEOUT_MS,
    'tableWaitTimeout',
    range,
  );
  const createTable = choiceOption(options.createTable, true, 'createTable', [true, false], SOURCE);
  return { tableName, userIndexName, createTable, tableWaitTimeout: wait };
}
