/**
 * The MongoDB session store: MongoDB's primitives ({@link MongoDBDriver}) on the store kit of
 * `@sessions/core/kit`, which owns validation, the codec, visibility, the deadline, the error
 * mapping and the background prune.
 */
import type { SessionData } from '@sessions/core';
import { PruningDriverStore } from '@sessions/core/kit';
import { MongoDBDriver } from './mongodb-driver.js';
import {
  assertMongoOptions,
  BACKEND_PAYLOAD_LIMIT,
  type ExpiryMode,
  type MongoDBStoreOptions,
  SOURCE,
} from './options.js';

/**
 * A `SessionStore` on the official `mongodb` driver (6.x or 7.x). Works with MongoDB and
 * MongoDB-wire servers such as FerretDB (in `expiryMode: 'prune'`).
 *
 * `get`, `touch`, `delete` and compare-and-set are one command each; what is live is decided by
 * the store's `clock`, never by the server's TTL monitor.
 *
 * @example
 * ```ts
 * import { MongoDBStore } from '@sessions/mongodb';
 *
 * const store = new MongoDBStore({ url: 'mongodb://127.0.0.1:27017/app' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 3_600_000, userId: 'u1' });
 * const record = await store.get('k1'); // { data: { cart: [] }, expiresAt, userId: 'u1', version: 1 }
 * await store.close(); // closes the client it created from the URL
 * ```
 */
export class MongoDBStore<D = SessionData> extends PruningDriverStore<D, MongoDBDriver> {
  /** How expired documents are physically removed (see {@link ExpiryMode}). */
  readonly expiryMode: ExpiryMode;

  /**
   * Use the `client` or `db` given, or create a client (not yet connected) from `url`.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: MongoDBStoreOptions<D>) {
    assertMongoOptions(options as MongoDBStoreOptions<unknown>);
    const expiryMode = options.expiryMode ?? 'ttl-index';
    super(options, {
      source: SOURCE,
      payloadLimit: BACKEND_PAYLOAD_LIMIT,
      // Runs once the shared options are valid: the client is created (not connected) here.
      driver: ({ namespace, operationTimeout }) =>
        new MongoDBDriver(
          options as MongoDBStoreOptions<unknown>,
          namespace,
          expiryMode,
          operationTimeout,
        ),
      autoPrepare: options.autoIndex ?? true,
      // With the TTL index the server removes expired documents; `prune()` stays available.
      backgroundPrune: expiryMode !== 'ttl-index',
    });
    this.expiryMode = expiryMode;
  }

  /**
   * Create the indexes now (they are otherwise created before the first operation, unless
   * `autoIndex: false`). Rejects with `UNAVAILABLE` naming `expiryMode` when the server refuses
   * the TTL index. Safe to call any number of times, also concurrently.
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  ensureIndexes(): Promise<void> {
    return this.prepareNow('ensureIndexes');
  }
}
