/**
 * The memory a set of `MemoryStore`s share: one map of entries and one user index per
 * namespace, so two stores on one namespace behave like two app instances on one server.
 */

/** One stored entry. Data is kept encoded, so no caller can mutate what is stored. */
export interface MemoryEntry {
  /** The codec's text. */
  data: string;
  /** Absolute expiry, epoch milliseconds (visibility is still decided by the store's clock). */
  expiresAt: number;
  /** The owner, also kept in the namespace's user index; `undefined` for an anonymous session. */
  userId: string | undefined;
  /** The version the last write gave the entry; compare-and-set compares against it. */
  version: number;
}

/**
 * The memory a set of `MemoryStore`s share: one per namespace. Pass the same backend to several
 * stores to model several apps on one server.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend();
 * const a = new MemoryStore({ backend, namespace: 'shop' });
 * const b = new MemoryStore({ backend, namespace: 'shop' }); // sees what `a` writes
 * ```
 */
export class MemoryBackend {
  /** namespace -> key -> entry */
  readonly namespaces = new Map<string, Map<string, MemoryEntry>>();
  /**
   * namespace -> userId -> keys. Lives here, not in a store, so two stores on one namespace
   * (two app instances on one server) see the same user index, as they would on Redis.
   */
  readonly userIndexes = new Map<string, Map<string, Set<string>>>();

  /** The entries of one namespace, created on first use. */
  entries(namespace: string): Map<string, MemoryEntry> {
    let map = this.namespaces.get(namespace);
    if (!map) {
      map = new Map();
      this.namespaces.set(namespace, map);
    }
    return map;
  }

  /** The user index of one namespace, created on first use. */
  userIndex(namespace: string): Map<string, Set<string>> {
    let index = this.userIndexes.get(namespace);
    if (!index) {
      index = new Map();
      this.userIndexes.set(namespace, index);
    }
    return index;
  }
}
