/**
 * Where the store's collection comes from: the caller's client or Db (never closed by the
 * store), or a client the store creates from a URL, owns and closes.
 */
import { type Collection, type Db, MongoClient, MongoTopologyClosedError } from 'mongodb';
import type { SessionDocument } from './document.js';
import { DEFAULTS, type MongoStoreOptions, ownedClientOptions, SOURCE } from './options.js';

/** The collection, its client, and whether the store created (and must close) that client. */
export interface StoreConnection {
  collection: Collection<SessionDocument>;
  /** The client behind the collection, whoever created it. */
  client: MongoClient;
  /** The client the store created from `url`; undefined for a caller's client or Db. */
  owned: MongoClient | undefined;
}

/**
 * Resolve `client` / `db` / `url` (exactly one is set; the options were checked). A URL or
 * database name the driver refuses is a `TypeError` naming the package, like every other
 * malformed option; nothing is connected yet.
 */
export function connect(
  options: MongoStoreOptions<unknown>,
  operationTimeout: number,
): StoreConnection {
  try {
    return resolveConnection(options, operationTimeout);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new TypeError(`[${SOURCE}] cannot use these connection options: ${detail}`, {
      cause: err,
    });
  }
}

function resolveConnection(
  options: MongoStoreOptions<unknown>,
  operationTimeout: number,
): StoreConnection {
  const name = options.collection ?? DEFAULTS.collection;
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
  return { collection: db.collection<SessionDocument>(name), client: db.client, owned };
}

/**
 * Reopens a client whose topology the driver left closed. When a client's first (automatic)
 * connect fails, the driver closes its topology but keeps it, and every later operation fails
 * with "Topology is closed" although the server is back; `connect()` builds a new one.
 */
export class TopologyReopener {
  #needed = false;
  #pending: Promise<void> | undefined;

  constructor(private readonly client: MongoClient) {}

  /** Whether the next operation must reopen the topology first. */
  get needed(): boolean {
    return this.#needed;
  }

  /** Note a failed operation; a closed topology means the next one reopens it. */
  observe(err: unknown): void {
    const cause = err instanceof Error ? err.cause : undefined;
    if (err instanceof MongoTopologyClosedError || cause instanceof MongoTopologyClosedError)
      this.#needed = true;
  }

  /** Reopen the topology; concurrent callers share one attempt, a failed one is retried. */
  reopen(): Promise<void> {
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
