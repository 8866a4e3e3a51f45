/**
 * The in-memory reference store: the whole contract with no backend. For tests, single-process
 * apps and as the model every other store is measured against.
 */
import { ConflictError } from './errors.js';
import {
  decodeData,
  encodeData,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  StoreLifecycle,
} from './store-kit.js';
import type {
  BaseStoreOptions,
  DeleteByUserOptions,
  SessionData,
  SessionRecord,
  SessionStore,
  SetOptions,
  SetResult,
  StoredSession,
} from './types.js';
import {
  assertValidExpiresAt,
  assertValidKey,
  assertValidSet,
  assertValidUserId,
} from './validate.js';

const SOURCE = '@sessions/core';

/** One stored entry. Data is kept encoded so no caller can mutate what is stored. */
export interface MemoryEntry {
  encoded: string;
  expiresAt: number;
  userId: string | undefined;
  version: number;
}

/**
 * The memory a set of {@link MemoryStore}s share: one per namespace. Pass the same backend to
 * several stores to model several apps on one server.
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

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /** Share memory between stores (see {@link MemoryBackend}); default: a private one. */
  backend?: MemoryBackend;
  /** How often expired entries are removed, in ms (default 60 000; 0 disables the timer). */
  pruneInterval?: number;
  /**
   * Most entries kept in this namespace. When a new key would exceed it, expired entries are
   * pruned and then the least recently written entries are evicted. Default: unbounded.
   */
  maxEntries?: number;
}

/**
 * An in-memory {@link SessionStore}. Expired entries are removed by an unref'd timer (so it
 * never keeps a process alive) as well as when read; `close()` stops the timer.
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
export class MemoryStore<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  readonly #opts: ResolvedStoreOptions<D>;
  readonly #entries: Map<string, MemoryEntry>;
  /** userId -> keys, so listing a user's sessions never scans the namespace. */
  readonly #byUser: Map<string, Set<string>>;
  readonly #lifecycle = new StoreLifecycle(SOURCE);
  readonly #maxEntries: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions<D> = {}) {
    this.#opts = resolveStoreOptions(options, SOURCE);
    this.maxPayloadBytes = this.#opts.maxPayloadBytes;
    const backend = options.backend ?? new MemoryBackend();
    this.#entries = backend.entries(this.#opts.namespace);
    this.#byUser = backend.userIndex(this.#opts.namespace);
    for (const [key, entry] of this.#entries) this.#index(key, entry.userId);
    this.#maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    const interval = options.pruneInterval ?? 60_000;
    if (interval > 0) {
      this.#timer = setInterval(() => this.#pruneNow(), interval);
      this.#timer.unref();
    }
  }

  async get(key: string): Promise<SessionRecord<D> | undefined> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const entry = this.#live(key);
    if (!entry) return undefined;
    return this.#toRecord(key, entry);
  }

  async set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    this.#lifecycle.assertOpen();
    assertValidSet<D>(key, record, options?.ifVersion, SOURCE);
    const encoded = encodeData(this.#opts, record.data);
    const current = this.#live(key);
    const ifVersion = options?.ifVersion;
    if (ifVersion !== undefined && (current?.version ?? 0) !== ifVersion) {
      throw new ConflictError(SOURCE);
    }
    if (record.expiresAt <= this.#opts.clock()) {
      this.#remove(key);
      return { version: 0 };
    }
    const version = (current?.version ?? 0) + 1;
    this.#remove(key);
    this.#makeRoom();
    const entry: MemoryEntry = {
      encoded,
      expiresAt: record.expiresAt,
      userId: record.userId,
      version,
    };
    this.#entries.set(key, entry);
    this.#index(key, entry.userId);
    return { version };
  }

  async touch(key: string, expiresAt: number): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    assertValidExpiresAt(expiresAt, SOURCE);
    const entry = this.#live(key);
    if (!entry) return false;
    if (expiresAt <= this.#opts.clock()) {
      this.#remove(key);
    } else {
      entry.expiresAt = expiresAt;
    }
    return true;
  }

  async delete(key: string): Promise<boolean> {
    this.#lifecycle.assertOpen();
    assertValidKey(key, SOURCE);
    const live = this.#live(key) !== undefined;
    this.#remove(key);
    return live;
  }

  async listByUser(userId: string): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    const out: Array<StoredSession<D>> = [];
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      const entry = this.#live(key);
      if (entry) out.push({ key, record: this.#toRecord(key, entry) });
    }
    return out;
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    this.#lifecycle.assertOpen();
    assertValidUserId(userId, SOURCE);
    if (options?.except !== undefined) assertValidKey(options.except, SOURCE);
    let count = 0;
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      if (key === options?.except) continue;
      if (this.#live(key)) count++;
      this.#remove(key);
    }
    return count;
  }

  async list(): Promise<Array<StoredSession<D>>> {
    this.#lifecycle.assertOpen();
    const out: Array<StoredSession<D>> = [];
    for (const key of [...this.#entries.keys()]) {
      const entry = this.#live(key);
      if (entry) out.push({ key, record: this.#toRecord(key, entry) });
    }
    return out;
  }

  async clear(): Promise<void> {
    this.#lifecycle.assertOpen();
    this.#entries.clear();
    this.#byUser.clear();
  }

  /** Remove every expired entry now; resolves to how many went. */
  async prune(): Promise<number> {
    this.#lifecycle.assertOpen();
    return this.#pruneNow();
  }

  async close(): Promise<void> {
    if (!this.#lifecycle.close()) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The live entry under `key`; an expired one is removed on the way. */
  #live(key: string): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#opts.clock() < entry.expiresAt) return entry;
    this.#remove(key);
    return undefined;
  }

  #toRecord(key: string, entry: MemoryEntry): SessionRecord<D> {
    const record: SessionRecord<D> = {
      data: decodeData(this.#opts, entry.encoded, key),
      expiresAt: entry.expiresAt,
      version: entry.version,
    };
    if (entry.userId !== undefined) record.userId = entry.userId;
    return record;
  }

  #index(key: string, userId: string | undefined): void {
    if (userId === undefined) return;
    let keys = this.#byUser.get(userId);
    if (!keys) {
      keys = new Set();
      this.#byUser.set(userId, keys);
    }
    keys.add(key);
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    if (entry.userId === undefined) return;
    const keys = this.#byUser.get(entry.userId);
    keys?.delete(key);
    if (keys?.size === 0) this.#byUser.delete(entry.userId);
  }

  #pruneNow(): number {
    const now = this.#opts.clock();
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#remove(key);
        removed++;
      }
    }
    return removed;
  }

  /** Keep the namespace within `maxEntries` before a new key is added. */
  #makeRoom(): void {
    if (this.#entries.size < this.#maxEntries) return;
    this.#pruneNow();
    // Map iteration is insertion order, and `set` re-inserts: the first keys are the stalest.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#remove(key);
    }
  }
}
