/**
 * The in-memory reference store: the whole contract with no backend. For tests, single-process
 * apps, and as the model every other store is measured against.
 */
import { PruningDriverStore } from '../kit/index.js';
import type { PruningStoreOptions, SessionData } from '../types.js';
import { MemoryBackend } from './backend.js';
import { MemoryDriver } from './memory-driver.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /** Share memory between stores (see {@link MemoryBackend}); default: a private one. */
  backend?: MemoryBackend;
  /**
   * Most entries kept in this namespace (default: unbounded). When a new key would exceed it,
   * the entry that expired first goes, else the least recently used one (read, written or
   * touched): an active logged-in session outlives a burst of one-request visitors. Each
   * eviction costs O(log n).
   */
  maxEntries?: number;
}

/**
 * An in-memory {@link SessionStore}. Expired entries are removed when read and by an unref'd
 * timer every `pruneInterval` (default 60 s); `close()` stops it.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@sessions/core';
 * const store = new MemoryStore();
 * await store.set('k1', { data: { n: 1 }, expiresAt: Date.now() + 60_000 });
 * (await store.get('k1'))?.data; // { n: 1 }
 * await store.close();
 * ```
 */
export class MemoryStore<D = SessionData> extends PruningDriverStore<D, MemoryDriver> {
  /**
   * A store on `options.backend`, or on memory of its own.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: MemoryStoreOptions<D> = {}) {
    const maxEntries = options?.maxEntries ?? Number.POSITIVE_INFINITY;
    if (
      maxEntries !== Number.POSITIVE_INFINITY &&
      (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    ) {
      throw new TypeError('[@sessions/core] maxEntries must be a positive integer');
    }
    super(options, {
      source: '@sessions/core',
      driver: ({ namespace }) =>
        // Stryker disable next-line OptionalChaining: the kit has refused null options before building the driver
        new MemoryDriver(options?.backend ?? new MemoryBackend(), namespace, maxEntries),
    });
  }
}
