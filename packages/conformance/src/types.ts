/**
 * What a backend hands the conformance suite: a way to build stores, and raw access to the
 * backend so the suite can prove what was really stored.
 */
import type { Clock, Codec, SessionStore } from '@sessions/core';

/** What the suite passes to {@link StoreFactory.create} for every store it builds. */
export interface StoreFactoryContext {
  /** A namespace unique to this check (two stores of one check may share it on purpose). */
  namespace: string;
  /** The check's clock: starts at the real time and moves only when the check says. */
  clock: Clock;
  /** The codec the check wants, when it is not the store's default. */
  codec?: Codec;
  /**
   * Aborts when the check is stopped or over: a factory whose `create` waits on the backend
   * (a connection, a table) can give up with it.
   */
  signal?: AbortSignal;
}

/**
 * Direct access to the backend, bypassing the store, for one store the suite built.
 * Keys are the store's keys (the raw layer adds the namespace/prefix itself).
 */
export interface RawAccess {
  /**
   * The entry physically stored for `key` (any shape: a row, a document, a string), or
   * `undefined` when nothing is stored. Ignores expiry: this is what the backend holds.
   */
  read(key: string): Promise<unknown | undefined>;
  /**
   * Store an entry for `key`, live until `expiresAt` (version 1, no userId), whose encoded
   * data is exactly `payload`, bypassing the codec: the suite writes bytes that do not decode,
   * and JSON carrying `__proto__` keys, to prove the store reports `CORRUPT` and never
   * pollutes a prototype.
   */
  writePayload(key: string, payload: string, expiresAt: number): Promise<void>;
  /**
   * The backend's own expiry for `key` in epoch ms (Redis PXAT, a TTL attribute...), or
   * `undefined` when none is set. Present only where the backend has native expiry.
   */
  nativeExpiresAt?(key: string): Promise<number | undefined>;
  /** Everything this store's namespace holds, as text, to scan for what must never be stored. */
  dump(): Promise<string>;
}

/** How a backend removes expired records physically; a declared difference, not a special case. */
export interface StoreCapabilities {
  /**
   * `'prompt'`: the backend deletes expired entries itself within about a second (Redis).
   * `'lagging'`: it does, but late (MongoDB's minute-long TTL monitor, DynamoDB's days).
   * `'none'`: only `prune()` removes them.
   */
  nativeExpiry: 'prompt' | 'lagging' | 'none';
  /**
   * How long after a write the user index reflects it, in ms (0 = at once). DynamoDB's
   * secondary indexes are eventually consistent; the suite polls up to this long.
   */
  userIndexLagMs?: number;
  /**
   * The store has `prune()` although its backend expires entries natively. Implied (and
   * required) when `nativeExpiry` is `'none'`. The suite checks the declaration against the
   * store, then runs the prune checks wherever a `prune()` is declared.
   */
  prune?: boolean;
  /**
   * The store implements the optional `list()` (default `true`: every built-in store does).
   * Set `false` for a store without it; the suite checks the declaration against the store.
   */
  list?: boolean;
}

/**
 * How the suite builds stores of one backend.
 *
 * @example
 * ```ts
 * describeStore({
 *   name: 'memory',
 *   capabilities: { nativeExpiry: 'none' },
 *   create: ({ namespace, clock, codec }) => new MemoryStore({ backend, namespace, clock, codec }),
 *   raw: (store, { namespace }) => memoryRaw(backend, namespace),
 * });
 * ```
 */
export interface StoreFactory {
  /** Shown in test names. */
  name: string;
  /** What the backend can do, so that only the checks that apply to it run. */
  capabilities: StoreCapabilities;
  /** Build a fresh store. The suite closes every store it builds. */
  create(context: StoreFactoryContext): SessionStore<unknown> | Promise<SessionStore<unknown>>;
  /** Raw access to the backend for a store built with `context`. */
  raw(store: SessionStore<unknown>, context: StoreFactoryContext): RawAccess;
}
