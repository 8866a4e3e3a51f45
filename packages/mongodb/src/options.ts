/** Options of {@link MongoDBStore} beyond the shared ones the kit validates. */
import type { PruningStoreOptions, SessionData } from '@sessions/core';
import { choiceOption, oneOfOptions } from '@sessions/core/kit';
import type { Db, MongoClient, MongoClientOptions } from 'mongodb';

/** The package name every error of this store carries. */
export const SOURCE = '@sessions/mongodb';

/**
 * How expired documents are physically removed (visibility never depends on it):
 * `'ttl-index'`, a TTL index on `expiresAt` (MongoDB deletes within about a minute; a server
 * that refuses it is an error, not a fallback); `'prune'`, a delete every `pruneInterval`, for
 * servers without TTL indexes (FerretDB 1.x); `'both'`.
 */
export type ExpiryMode = 'ttl-index' | 'prune' | 'both';

/**
 * Options of {@link MongoDBStore}. Give exactly one of `client`, `db` or `url`.
 *
 * @example
 * ```ts
 * const options: MongoDBStoreOptions = { url: 'mongodb://127.0.0.1:27017/app', expiryMode: 'ttl-index' };
 * ```
 */
export interface MongoDBStoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /** Your `MongoClient` (connected or not). The store never closes it. */
  client?: MongoClient;
  /** Your `Db` handle. The store never closes its client. */
  db?: Db;
  /** A connection string: the store creates a bounded client, owns it and closes it. */
  url?: string;
  /** With `client` or `url`: the database (default: the one in the URL, else the driver's `test`). */
  dbName?: string;
  /** With `url`: driver options, applied over the store's bounded defaults. */
  clientOptions?: MongoClientOptions;
  /** The collection holding the sessions (default `sessions`). Several namespaces may share it. */
  collection?: string;
  /** How expired documents are removed (default `'ttl-index'`; `pruneInterval` is for the others). */
  expiryMode?: ExpiryMode;
  /**
   * Create the indexes before the first operation (default true). False when the database user
   * may not create indexes: create them yourself (README) or call `ensureIndexes()`.
   */
  autoIndex?: boolean;
  /**
   * Queue this process's writes to one session (default `'auto'`): FerretDB 1.x's filtered
   * updates are not atomic, and racing compare-and-set writers could all win there. `'auto'` asks
   * the server once (`buildInfo`): on for FerretDB, off for MongoDB. `true`/`false`: no asking.
   */
  serializeWrites?: boolean | 'auto';
}

/** The collection of a store that names none. */
export const DEFAULT_COLLECTION = 'sessions';

/**
 * The largest payload a document can carry: the 16 MiB BSON document limit less room for the
 * other fields (a 256-character key and userId, the namespace, dates and field names).
 */
export const BACKEND_PAYLOAD_LIMIT = 16 * 1024 * 1024 - 16 * 1024;

/**
 * Options of a client created from a URL: a driver wait ends with the driver's own error (a
 * refused connection...) within the deadline; a silent socket closes at the deadline even on
 * drivers before 6.13, which ignore the abort signal; heartbeats notice a restarted server fast.
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
export function assertMongoOptions(options: MongoDBStoreOptions<unknown> | undefined): void {
  const o = options ?? {};
  oneOfOptions(o, ['client', 'db', 'url'], SOURCE);
  const collection = o.collection ?? DEFAULT_COLLECTION;
  if (
    typeof collection !== 'string' ||
    !/^[^$\0]{1,120}$/.test(collection) ||
    collection.startsWith('system.')
  ) {
    throw new TypeError(
      `[${SOURCE}] collection must be 1-120 characters without "$" and not start with "system."`,
    );
  }
  choiceOption(o.expiryMode, 'ttl-index', 'expiryMode', EXPIRY_MODES, SOURCE);
  choiceOption(o.serializeWrites, 'auto', 'serializeWrites', ['auto', true, false], SOURCE);
}
