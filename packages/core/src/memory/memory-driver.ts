/**
 * The memory backend's primitives: maps and sets, synchronous, so the kit answers without a
 * timer. With `maxEntries`, the map's order is the order of use (a read or write moves an entry
 * to the end), and making room drops the entry that expired first, else the least recently used.
 */
import {
  CONFLICT,
  type Conflict,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
} from '../kit/index.js';
import type { MemoryBackend, MemoryEntry } from './backend.js';
import { ExpiryHeap } from './expiry-heap.js';

/** A memory namespace as a driver. Internal to `MemoryStore`. */
export class MemoryDriver implements StoreDriver {
  readonly #entries: Map<string, MemoryEntry>;
  /** userId -> keys, so listing a user's sessions never scans the namespace. */
  readonly #byUser: Map<string, Set<string>>;
  readonly #maxEntries: number;
  /** Only kept with a finite `maxEntries`: the cost is paid by those who asked for the bound. */
  readonly #expiries: ExpiryHeap | undefined;

  constructor(backend: MemoryBackend, namespace: string, maxEntries: number) {
    this.#entries = backend.entries(namespace);
    this.#byUser = backend.userIndex(namespace);
    this.#maxEntries = maxEntries;
    // Stryker disable next-line ConditionalExpression: a heap without a bound is never consulted: cost only
    if (Number.isFinite(maxEntries)) {
      this.#expiries = new ExpiryHeap();
      for (const [key, entry] of this.#entries) this.#expiries.push(key, entry);
    }
  }

  get(key: string, op: Operation): MemoryEntry | undefined {
    const entry = this.#live(key, op.now);
    if (entry !== undefined) this.#used(key, entry);
    return entry;
  }

  set(write: RecordWrite, op: Operation): number | Conflict {
    const { key, ifVersion } = write;
    const current = this.#live(key, op.now);
    if (ifVersion !== undefined && (current?.version ?? 0) !== ifVersion) return CONFLICT;
    const entry: MemoryEntry = {
      data: write.data,
      expiresAt: write.expiresAt,
      userId: write.userId,
      version: (current?.version ?? 0) + 1,
    };
    // Unbounded, a live key is replaced where it is: a Map delete leaves a hole that V8 later
    // compacts by copying the table, which a write-heavy namespace paid on every set. Bounded,
    // the write moves the key to the end (the order of use).
    // Stryker disable next-line ConditionalExpression: cost only: removing first leaves the same entries and index
    if (current === undefined || this.#expiries !== undefined) {
      this.#remove(key);
      this.#makeRoom(op.now);
      // Stryker disable next-line ConditionalExpression: cost only: the owner's index set gets the key back below
    } else if (current.userId !== entry.userId) {
      this.#unindex(key, current.userId);
    }
    this.#entries.set(key, entry);
    this.#index(key, entry.userId);
    this.#expiries?.push(key, entry);
    return entry.version;
  }

  touch(key: string, expiresAt: number, op: Operation): boolean {
    const entry = this.#live(key, op.now);
    if (entry === undefined) return false;
    entry.expiresAt = expiresAt;
    this.#expiries?.push(key, entry);
    this.#used(key, entry);
    return true;
  }

  delete(key: string, ifVersion: number | undefined, op: Operation): boolean | Conflict {
    const current = this.#live(key, op.now);
    if (ifVersion !== undefined && (current?.version ?? 0) !== ifVersion) return CONFLICT;
    this.#remove(key);
    return current !== undefined;
  }

  listByUser(userId: string): StoredEntry[] {
    // The kit keeps only entries `userId` owns (`toLiveSessions`), so a stray item here or in
    // the fallback below, or an entry-less `{ key }`, never reaches a caller.
    // Stryker disable next-line ArrayDeclaration: the kit drops what userId does not own
    const out: StoredEntry[] = [];
    // Stryker disable next-line ArrayDeclaration: the kit drops what userId does not own
    for (const key of this.#byUser.get(userId) ?? []) {
      const entry = this.#entries.get(key);
      // Stryker disable next-line ConditionalExpression: the kit drops what userId does not own
      if (entry !== undefined) out.push({ key, ...entry });
    }
    return out;
  }

  deleteByUser(userId: string, except: string | undefined, op: Operation): number {
    let live = 0;
    // Stryker disable next-line ArrayDeclaration: a key never stored is neither live nor removed
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      if (key === except) continue;
      if (this.#live(key, op.now) !== undefined) live++;
      this.#remove(key);
    }
    return live;
  }

  list(): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (const [key, entry] of this.#entries) out.push({ key, ...entry });
    return out;
  }

  clear(): void {
    this.#entries.clear();
    this.#byUser.clear();
    this.#expiries?.clear();
  }

  prune(op: Operation): number {
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= op.now) {
        this.#remove(key);
        removed++;
      }
    }
    this.#expiries?.compact(this.#entries);
    return removed;
  }

  close(): void {}

  /** The live entry under `key`; an expired one is removed on the way. */
  #live(key: string, now: number): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || now < entry.expiresAt) return entry;
    this.#remove(key);
    return undefined;
  }

  /** Move an entry to the end of the map: the most recently used (only when bounded). */
  #used(key: string, entry: MemoryEntry): void {
    // Stryker disable next-line ConditionalExpression: without a bound the map's order is never used (cost only)
    if (this.#expiries === undefined) return;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
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
    this.#unindex(key, entry.userId);
  }

  /** Take `key` out of `userId`'s index set. */
  #unindex(key: string, userId: string | undefined): void {
    // Stryker disable next-line ConditionalExpression: an anonymous entry has no index set to update (a shortcut)
    if (userId === undefined) return;
    const keys = this.#byUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.#byUser.delete(userId);
  }

  /** Keep the namespace within `maxEntries` before a new key goes in. */
  #makeRoom(now: number): void {
    const heap = this.#expiries;
    if (heap === undefined) return;
    while (this.#entries.size >= this.#maxEntries) {
      const victim =
        heap.expired(now, (key) => this.#entries.get(key)) ?? this.#entries.keys().next().value;
      // Stryker disable next-line ConditionalExpression: unreachable: at maxEntries (>= 1) the map has a first key
      if (victim === undefined) return;
      this.#remove(victim);
    }
    heap.compact(this.#entries);
  }
}
