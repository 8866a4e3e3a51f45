/**
 * The store's collection: from the caller's client or Db (never closed by the store), or from a
 * client the store creates from a URL and closes; and reopening a topology left closed.
 */
import {
  type Collection,
  type Db,
  MongoClient,
  type MongoClientOptions,
  MongoTopologyClosedError,
} from 'mongodb';
import type { SessionDocument } from './document.js';
import { DEFAULT_COLLECTION, type MongoDBStoreOptions, SOURCE } from './options.js';

/** The collection, its Db, and the client the store created (and closes), if it did. */
export interface StoreConnection {
  db: Db;
  collection: Collection<SessionDocument>;
  owned: MongoClient | undefined;
}

/**
 * Resolve `client` / `db` / `url` (exactly one is set). What the driver refuses is a `TypeError`
 * naming the package, like every other malformed option; nothing is connected yet.
 */
export function connect(options: MongoDBStoreOptions<unknown>, timeoutMs: number): StoreConnection {
  try {
    let db = options.db;
    let owned: MongoClient | undefined;
    if (!db && options.client) db = options.client.db(options.dbName);
    if (!db) {
      owned = new MongoClient(options.url as string, {
        ...ownedClientOptions(timeoutMs),
        ...options.clientOptions,
      });
      // Operations report their own failures; an 'error' event has no caller to go to, and an
      // EventEmitter without a listener would turn it into an uncaught exception.
      owned.on('error', () => {});
      db = owned.db(options.dbName);
    }
    const name = options.collection ?? DEFAULT_COLLECTION;
    return { db, collection: db.collection<SessionDocument>(name), owned };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new TypeError(`[${SOURCE}] cannot use these connection options: ${detail}`, {
      cause: err,
    });
  }
}

/**
 * A client created from a URL: a driver wait ends with the driver's own error (a refused
 * connection...) within the deadline; a silent socket closes at the deadline even on drivers
 * before 6.13, which ignore the abort signal; heartbeats notice a restarted server fast.
 */
function ownedClientOptions(timeoutMs: number): MongoClientOptions {
  return {
    serverSelectionTimeoutMS: Math.max(20, Math.floor(timeoutMs * 0.4)),
    connectTimeoutMS: Math.max(20, Math.floor(timeoutMs * 0.5)),
    socketTimeoutMS: timeoutMs,
    heartbeatFrequencyMS: 500,
    minHeartbeatFrequencyMS: 100,
  };
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
