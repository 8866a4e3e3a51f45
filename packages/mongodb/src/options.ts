/**
 * Options of {@link MongoStore} and how they resolve: which collection, which expiry mode,
 * and the bounds every operation keeps.
 */
import type { BaseStoreOptions, SessionData, SessionError } from '@sessions/core';
import type { Db, MongoClient, MongoClientOptions } from 'mongodb';

/** The package name every error of this store carries. */
export const SOURCE = '@sessions/mongodb';

/**
 * How expired documents are physically removed (visibility never depends on it: every read
 * filters `expiresAt > clock()`).
 * - `'ttl-index'`: a TTL index on `expiresAt` (`expireAfterSeconds: 0`); MongoDB's TTL monitor
 *   deletes within about a minute. A server that refuses the index is an error, not a fallback.
 * - `'prune'`: no TTL index; the store deletes expired documents every `pruneInterval`. For
 *   servers without TTL indexes (FerretDB 1.x, some Cosmos DB tiers).
 * - `'both'`: the TTL index and the prune timer.
 */
export type ExpiryMode = 'ttl-index' | 'prune' | 'both';

/**
 * Options of {@link MongoStore}. Give exactly one of `client`, `db` or `url`.
 *
 * @example
 * ```ts
 * const store = new MongoStore({ url: 'mongodb://127.0.0.1:27017/app', expiryMode: 'ttl-index' });
 * ```
 */
export interface MongoStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /** Your `MongoClient` (connected or not). The store never closes it. */
  client?: MongoClient;
  /** Your `Db` handle. The store never closes its client. */
  db?: Db;
  /**
   * A connection string: the store creates the client with bounded timeouts (see
   * `clientOptions`), owns it, and closes it in `close()`.
   */
  url?: string;
  /** With `client` or `url`: the database (default: the one in the URL, else the driver's `test`). */
  dbName?: string;
  /** With `url`: driver options, applied over the store's bounded defaults. */
  clientOptions?: MongoClientOptions;
  /** The collection holding the sessions (default `sessions`). Several namespaces may share it. */
  collection?: string;
  /** How expired documents are removed (default `'ttl-index'`). */
  expiryMode?: ExpiryMode;
  /**
   * In `'prune'` and `'both'` modes, how often the store deletes expired documents, in ms
   * (default 60 000; 0 disables the timer, leaving `prune()` to you). The timer is unref'd.
   */
  pruneInterval?: number;
  /** Called when a timer-driven prune fails (the next one retries). Default: ignored. */
  onPruneError?: (error: SessionError) => void;
  /**
   * The longest any operation may take, in ms, index creation and waiting included (default
   * 2000). Past it the operation rejects with `UNAVAILABLE`.
   */
  operationTimeout?: number;
  /**
   * Create the indexes lazily, before the first operation (default true). Set false when the
   * database user may not create indexes; then create them yourself (see the README) or call
   * `ensureIndexes()` once with a user who may.
   */
  autoIndex?: boolean;
}

/** Defaults of the options above. */
export const DEFAULTS = {
  collection: 'sessions',
  expiryMode: 'ttl-index' as ExpiryMode,
  pruneInterval: 60_000,
  operationTimeout: 2_000,
};

/**
 * The largest payload a document can carry: the 16 MiB BSON document limit less room for the
 * other fields (a 256-character key and userId, the namespace, dates and field names).
 */
export const BACKEND_PAYLOAD_LIMIT = 16 * 1024 * 1024 - 16 * 1024;

/**
 * Driver options for a client the store creates from a URL (the driver has no per-operation
 * timeout that works in 7.x, so the client's own timeouts are what end a driver wait):
 * - server selection gives up at 40 % of the operation timeout, so an operation against a
 *   stopped server fails with the driver's error (refused connection...) well within the bound;
 * - a new connection (TCP, TLS, handshake) may take half of it, enough for a remote cluster;
 * - a socket that stays silent for the whole operation timeout is closed (the store has given
 *   up on it by then; this frees the connection);
 * - heartbeats every 500 ms let the client notice a restarted server within a second.
 * A frozen server (alive but silent) is caught by the store's own deadline instead.
 */
export function ownedClientOptions(operationTimeout: number): MongoClientOptions {
  return {
    serverSelectionTimeoutMS: Math.max(20, Math.floor(operationTimeout * 0.4)),
    connectTimeoutMS: Math.max(20, Math.floor(operationTimeout * 0.5)),
    socketTimeoutMS: operationTimeout,
    heartbeatFrequencyMS: 500,
    minHeartbeatFrequencyMS: 100,
  };
}

const EXPIRY_MODES: readonly ExpiryMode[] = ['ttl-index', 'prune', 'both'];

/** Throw a `TypeError` naming the option when a MongoDB-specific option is malformed. */
export function assertMongoOptions(options: MongoStoreOptions<unknown>): void {
  const given = [options.client, options.db, options.url].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new TypeError(`[${SOURCE}] give exactly one of client, db or url (got ${given})`);
  }
  const collection = options.collection ?? DEFAULTS.collection;
  if (
    typeof collection !== 'string' ||
    !/^[^$\0]{1,120}$/.test(collection) ||
    collection.startsWith('system.')
  ) {
    throw new TypeError(
      `[${SOURCE}] collection must be 1-120 characters without "$" and not start with "system."`,
    );
  }
  if (options.expiryMode !== undefined && !EXPIRY_MODES.includes(options.expiryMode)) {
    throw new TypeError(`[${SOURCE}] expiryMode must be one of ${EXPIRY_MODES.join(', ')}`);
  }
  for (const name of ['pruneInterval', 'operationTimeout'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new TypeError(`[${SOURCE}] ${name} must be a non-negative integer of milliseconds`);
    }
  }
  if (options.operationTimeout === 0) {
    throw new TypeError(
      `[${SOURCE}] operationTimeout must be positive: every operation is bounded`,
    );
  }
}
