/**
 * Where the store's collection comes from: the caller's client or Db (never closed by the
 * store), or a client the store creates from a URL, owns and closes.
 */
import { type Collection, type Db, MongoClient } from 'mongodb';
import type { SessionDocument } from './document.js';
import { DEFAULTS, type MongoStoreOptions, ownedClientOptions } from './options.js';

/** The collection, its client, and whether the store created (and must close) that client. */
export interface StoreConnection {
  collection: Collection<SessionDocument>;
  /** The client behind the collection, whoever created it. */
  client: MongoClient;
  /** The client the store created from `url`; undefined for a caller's client or Db. */
  owned: MongoClient | undefined;
}

/** Resolve `client` / `db` / `url` (exactly one is set; the options were checked). */
export function connect(options: MongoStoreOptions<unknown>, operationTimeout: number): StoreConnection {
  const name = options.collection ?? DEFAULTS.collection;
  let db: Db;
  let owned: MongoClient | undefined;
  if (options.db) {
    db = options.db;
  } else if (options.client) {
    db = options.client.db(options.dbName);
  } else {
    owned = new MongoClient(options.url as string, { ...ownedClientOptions(operationTimeout), ...options.clientOptions });
    // Operations report their own failures; an 'error' event has no caller to go to, and an
    // EventEmitter without a listener would turn it into an uncaught exception.
    owned.on('error', () => {});
    db = owned.db(options.dbName);
  }
  return { collection: db.collection<SessionDocument>(name), client: db.client, owned };
}
