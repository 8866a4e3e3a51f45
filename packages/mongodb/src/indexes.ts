/** The store's indexes, created by the driver's `prepare` (and `ensureIndexes()`). */
import { UnavailableError } from '@sessions/core';
import {
  type Collection,
  type CreateIndexesOptions,
  type IndexDescription,
  MongoError,
  MongoServerError,
} from 'mongodb';
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

/**
 * Create the indexes `mode` needs; a failure names the index. A server that refuses the TTL
 * index gets no silent fallback: the application asked for server-side expiry, and must choose
 * `'prune'` knowingly.
 */
export async function createIndexes(
  collection: Collection<SessionDocument>,
  mode: ExpiryMode,
  signal: AbortSignal,
): Promise<void> {
  const wanted =
    mode === 'prune' ? [USER_INDEX, EXPIRY_INDEX] : [USER_INDEX, EXPIRY_INDEX, TTL_INDEX];
  // One index per command: FerretDB 1.24 panics (and drops the connection) when one
  // createIndexes command names two or more indexes that all exist already.
  for (const index of wanted) {
    try {
      await collection.createIndexes([index], { signal } as CreateIndexesOptions);
    } catch (cause) {
      if (!(cause instanceof MongoError)) throw cause;
      // A server error: the server is up, and does not take this index.
      const refused = index === TTL_INDEX && cause instanceof MongoServerError;
      const message = refused
        ? `the server refused the TTL index on expiresAt (${cause.message}). A server without TTL indexes (FerretDB 1.x, some Azure Cosmos DB tiers) needs expiryMode: 'prune' (or fix the conflicting index).`
        : `creating the index ${index.name} failed: ${cause.message}`;
      throw new UnavailableError(SOURCE, message, { cause });
    }
  }
}
