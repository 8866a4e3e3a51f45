/**
 * The store's indexes, created once per store however many operations ask at the same time.
 * A failure reaches every caller that waited for it and is forgotten, so the next call tries
 * again (a server that was down at start-up must not break the store for good).
 */
import { type SessionError, toSessionError, UnavailableError } from '@sessions/core';
import { type Collection, type IndexDescription, MongoServerError } from 'mongodb';
import type { SessionDocument } from './document.js';
import { type ExpiryMode, SOURCE } from './options.js';

/** The user index: `listByUser` / `deleteByUser` within a namespace. */
export const USER_INDEX: IndexDescription = {
  key: { namespace: 1, userId: 1 },
  name: 'namespace_1_userId_1',
};
/** Serves `prune()` (and `clear()`, by its prefix): expired documents of one namespace. */
export const EXPIRY_INDEX: IndexDescription = {
  key: { namespace: 1, expiresAt: 1 },
  name: 'namespace_1_expiresAt_1',
};
/** The TTL index: the server deletes a document once `expiresAt` has passed. */
export const TTL_INDEX: IndexDescription = {
  key: { expiresAt: 1 },
  name: 'expiresAt_1',
  expireAfterSeconds: 0,
};

/** Whether a mode asks for the TTL index. */
export function usesTtlIndex(mode: ExpiryMode): boolean {
  return mode !== 'prune';
}

/**
 * The error for a server that answered "no" to the TTL index. Not a silent fallback: the
 * application asked for server-side expiry and must choose `'prune'` knowingly.
 */
export function ttlRefusedError(cause: unknown): SessionError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new UnavailableError(
    SOURCE,
    `the server refused the TTL index on expiresAt (${detail}). A server without TTL indexes ` +
      "(FerretDB 1.x, some Azure Cosmos DB tiers) needs expiryMode: 'prune' (or fix the conflicting index).",
    { cause },
  );
}

/** Creates the indexes at most once at a time; see the module comment. */
export class IndexSetup {
  #ready = false;
  #pending: Promise<void> | undefined;

  constructor(
    private readonly collection: Collection<SessionDocument>,
    private readonly mode: ExpiryMode,
  ) {}

  /** True once the indexes exist (as far as this store knows). */
  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Resolve once the indexes exist. Concurrent callers share one attempt; a failed attempt
   * rejects every one of them with a `SessionError` and is not cached.
   */
  ensure(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    if (!this.#pending) {
      this.#pending = this.#create().then(
        () => {
          this.#ready = true;
          this.#pending = undefined;
        },
        (err: unknown) => {
          this.#pending = undefined;
          throw err;
        },
      );
    }
    return this.#pending;
  }

  async #create(): Promise<void> {
    // One index per command: FerretDB 1.24 panics (and drops the connection) when one
    // createIndexes command names two or more indexes that all exist already.
    for (const index of [USER_INDEX, EXPIRY_INDEX]) {
      try {
        await this.collection.createIndexes([index]);
      } catch (err) {
        throw toSessionError(err, SOURCE, `creating the index ${index.name}`);
      }
    }
    if (!usesTtlIndex(this.mode)) return;
    try {
      await this.collection.createIndexes([TTL_INDEX]);
    } catch (err) {
      // The server answered (it is up): it does not take this index. Anything else is an outage.
      if (err instanceof MongoServerError) throw ttlRefusedError(err);
      throw toSessionError(err, SOURCE, 'creating the TTL index');
    }
  }
}
