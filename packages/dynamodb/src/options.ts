/**
 * Options of the DynamoDB store, and the client settings that keep every request bounded. The
 * options every store shares (`namespace`, `clock`, `codec`, `maxPayloadBytes`,
 * `operationTimeout`, `onBackgroundError`) are validated by the kit.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { BaseStoreOptions, SessionData } from '@sessions/core';
import { DEFAULT_OPERATION_TIMEOUT, MAX_TIMER_MS } from '@sessions/core/kit';

/** The package name every error of this store carries as `source`. */
export const SOURCE = '@sessions/dynamodb';

/** The default table name. */
export const DEFAULT_TABLE_NAME = 'sessions';
/** The default name of the global secondary index that serves the user index. */
export const DEFAULT_USER_INDEX_NAME = 'uid-index';
/** The default number of requests in flight at once. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
/** The default bound of `ensureTable()`, waiting for ACTIVE included. */
export const DEFAULT_TABLE_WAIT_TIMEOUT_MS = 120_000;

/**
 * Options of {@link DynamoDBStore}.
 *
 * @example
 * ```ts
 * const store = new DynamoDBStore({ client, tableName: 'app-sessions', namespace: 'web' });
 * ```
 */
export interface DynamoDBStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /**
   * Your client. The store never destroys it. Give it bounded settings, e.g.
   * `new DynamoDBClient(boundedClientConfig({ region }))`; the store bounds every operation with
   * `operationTimeout` (and cancels its request) whatever the client does.
   */
  client?: DynamoDBClient;
  /**
   * Settings for a client the store creates (and destroys on `close()`) when `client` is not
   * given: `region`, `endpoint`, `credentials`... Bounded retries and timeouts are added
   * unless you set them (see {@link boundedClientConfig}).
   */
  clientConfig?: DynamoDBClientConfig;
  /** The table (default `"sessions"`); several namespaces share one table. */
  tableName?: string;
  /** The global secondary index on `uid` that serves the user index (default `"uid-index"`). */
  userIndexName?: string;
  /**
   * Create the table, its index and its TTL setting before first use when they are missing
   * (default `true`), and again if the table vanishes. Set `false` when the table is managed as
   * code: the store then never calls a control-plane API by itself (`ensureTable()` still works).
   */
  createTable?: boolean;
  /** How long `ensureTable()` may take, waiting for ACTIVE included (default 120 s). */
  tableWaitTimeout?: number;
  /**
   * Most requests in flight at once (default 64). Further operations wait in the store, within
   * their `operationTimeout`, instead of all entering the SDK together: a burst of thousands
   * then completes steadily, and what cannot be served in time is turned away early.
   */
  maxConcurrentRequests?: number;
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
  return {
    maxAttempts: 2,
    ...config,
    requestHandler: config.requestHandler ?? {
      connectionTimeout: operationTimeout,
      requestTimeout: operationTimeout,
      throwOnRequestTimeout: true,
    },
  };
}

/** The DynamoDB-specific options after defaults and validation. */
export interface ResolvedDynamoOptions {
  readonly tableName: string;
  readonly userIndexName: string;
  readonly createTable: boolean;
  readonly tableWaitTimeout: number;
  readonly maxConcurrentRequests: number;
}

/** Table and index names DynamoDB accepts: 3–255 of `a-z A-Z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The options only the DynamoDB store has. */
export type DynamoDBOwnOptions = Omit<DynamoDBStoreOptions, keyof BaseStoreOptions>;

/** Apply defaults to the DynamoDB-specific options; a TypeError for a value that cannot work. */
export function resolveDynamoOptions(options: DynamoDBOwnOptions): ResolvedDynamoOptions {
  if (options.client && options.clientConfig) {
    throw new TypeError(`[${SOURCE}] pass either client or clientConfig, not both`);
  }
  const resolved: ResolvedDynamoOptions = {
    tableName: options.tableName ?? DEFAULT_TABLE_NAME,
    userIndexName: options.userIndexName ?? DEFAULT_USER_INDEX_NAME,
    createTable: options.createTable ?? true,
    tableWaitTimeout: options.tableWaitTimeout ?? DEFAULT_TABLE_WAIT_TIMEOUT_MS,
    maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
  };
  for (const what of ['tableName', 'userIndexName'] as const) {
    if (!TABLE_NAME.test(resolved[what])) {
      throw new TypeError(`[${SOURCE}] ${what} must be 3 to 255 characters of a-z A-Z 0-9 _ - .`);
    }
  }
  for (const what of ['tableWaitTimeout', 'maxConcurrentRequests'] as const) {
    const value = resolved[what];
    // A wait beyond Node's largest timer would fire at once.
    if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_TIMER_MS) {
      throw new TypeError(`[${SOURCE}] ${what} must be an integer from 1 to 2^31 - 1`);
    }
  }
  return resolved;
}
