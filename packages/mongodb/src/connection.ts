/**
 * The store's collection: from the caller's client or Db (never closed by the store), or from a
 * client the store creates from a URL and closes; and reopening a topology left closed.
 */
import { type Collection, type Db, MongoClient, MongoTopologyClosedError } from 'mongodb';
import type { SessionDocument } from './document.js';
import {
  DEFAULT_COLLECTION,
  type MongoDBStoreOptions,
  ownedClientOptions,
  SOURCE,
} from './options.js';

/** The collection, its client, and whether the store created (and must close) that client. */
export interface StoreConnection {
  db: Db;
  collection: Collection<SessionDocument>;
  /** The client behind the collection, whoever created it. */
  client: MongoClient;
  /** The client the store created from `url`; undefined for a caller's client or Db. */
  owned: MongoClient | undefined;
}

/**
 * Resolve `client` / `db` / `url` (exactly one is set). What the driver refuses is a `TypeError`
 * naming the package, like every other malformed option; nothing is connected yet.
 */
export function connect(
  options: MongoDBStoreOptions<unknown>,
  operationTimeout: number,
): StoreConnection {
  try {
    const name = options.collection ?? DEFAULT_COLLECTION;
    let db: Db;
    let owned: MongoClient | undefined;
    if (options.db) {
      db = options.db;
    } else if (options.client) {
      db = options.client.db(options.dbName);
    } else {
      owned = new MongoClient(options.url as string, {
        ...ownedClientOptions(operationTimeout),
        ...options.clientOptions,
      });
      // Operations report their own failures; an 'error' event has no caller to go to, and an
      // EventEmitter without a listener would turn it into an uncaught exception.
      owned.on('error', () => {});
      db = owned.db(options.dbName);
    }
    return { db, collection: db.collection<SessionDocument>(name), client: db.client, owned };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new TypeError(`[${SOURCE}] cannot use these connection options: ${detail}`, {
      cause: err,
    });
  }
}

/**
 * When a client's first (automatic) connect fails, the driver closes its topology but keeps it:
 * every later operation fails with "Topology is closed", the server back or not. `connect()`
 * builds a new one.
 */
export class TopologyReopener {
  #needed = false;
  #pending: Promise<void> | undefined;

  constructor(private readonly client: MongoClient) {}

  /** Run `work`, reopening the topology first if the last failure left it closed. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const started = this.#needed ? this.#reopen().then(work) : work();
    return started.catch((err: unknown) => {
      const cause = err instanceof Error ? err.cause : undefined;
      if (err instanceof MongoTopologyClosedError || cause instanceof MongoTopologyClosedError)
        this.#needed = true;
      throw err;
    });
  }

  /** Concurrent callers share one attempt; a failed one is retried by the next operation. */
  #reopen(): Promise<void> {
    this.#pending ??= this.client
      .connect()
      .then(() => {
        this.#needed = false;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}
