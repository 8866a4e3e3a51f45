/**
 * The store contract: what every session store implements, whatever its backend.
 * The prose version, with the rule-by-rule checks that enforce it, is docs/contract.md.
 */

/** A clock in epoch milliseconds. Stores take one so tests (and apps) decide what "now" is. */
export type Clock = () => number;

/** Session data as the default JSON codec stores it. Stores are generic over it. */
export type SessionData = Record<string, unknown>;

/**
 * One stored session.
 *
 * @example
 * ```ts
 * const record: SessionRecord = { data: { cart: [] }, expiresAt: Date.now() + 3_600_000, userId: 'u1' };
 * ```
 */
export interface SessionRecord<D = SessionData> {
  /** Application state. Must survive the store's codec round trip. */
  data: D;
  /** Absolute expiry in epoch milliseconds. The record is live iff `clock() < expiresAt`. */
  expiresAt: number;
  /** Owner, indexed so that all of a user's sessions can be listed and revoked. */
  userId?: string;
  /**
   * Set by the store on every successful `set` (1 on creation, +1 on each write); ignored on
   * input. Pass it back as `ifVersion` for compare-and-set. `touch` does not change it.
   */
  version?: number;
}

/** Options of {@link SessionStore.set}. */
export interface SetOptions {
  /**
   * Compare-and-set: write only if the stored live version equals this one. `0` means
   * "must not exist" (an expired record counts as absent). On mismatch the store throws a
   * `ConflictError` and changes nothing.
   */
  ifVersion?: number;
}

/** What {@link SessionStore.set} resolves to. */
export interface SetResult {
  /** The version now stored; `0` when the write deleted (an `expiresAt` in the past). */
  version: number;
}

/** A key with its record, as {@link SessionStore.listByUser} returns them. */
export interface StoredSession<D = SessionData> {
  /** The store key the record is stored under. */
  key: string;
  /** The live record, decoded. */
  record: SessionRecord<D>;
}

/** Options of {@link SessionStore.deleteByUser}. */
export interface DeleteByUserOptions {
  /** A key to keep: "log out everywhere else". */
  except?: string;
}

/**
 * A session store. Keys are opaque strings (through the session manager, SHA-256 hashes of
 * the session tokens); every store validates them itself before any I/O.
 *
 * Rules every implementation follows (each one is a check in `@sessions/conformance`):
 * - a record is live iff `clock() < expiresAt`; nothing that is not live is ever returned,
 *   touched or listed, whatever the backend still holds;
 * - `set` with `expiresAt <= clock()` deletes and stores nothing;
 * - `touch` never creates or resurrects;
 * - compare-and-set is atomic;
 * - failures are typed `SessionError`s, never raw driver errors, never a false success.
 *
 * @typeParam D - the session data type.
 */
export interface SessionStore<D = SessionData> {
  /** Largest encoded `data` (UTF-8 bytes of the codec output) this store accepts. */
  readonly maxPayloadBytes: number;
  /**
   * The live record under `key`, or `undefined`.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `key` is
   * malformed; refused before any I/O.
   * @throws `CORRUPT` ({@link @sessions/core!CorruptError | CorruptError}): a stored record does
   * not decode (reported, never a crash).
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  get(key: string): Promise<SessionRecord<D> | undefined>;
  /**
   * Write a record (create or replace); see {@link SetOptions} for compare-and-set.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `key` or
   * `record.userId` is malformed; refused before any I/O.
   * @throws `INVALID_RECORD` ({@link @sessions/core!InvalidRecordError | InvalidRecordError}): the
   * record (its `expiresAt`, say) or `ifVersion` has the wrong shape; refused before any I/O.
   * @throws `SERIALIZE` ({@link @sessions/core!SerializeError | SerializeError}): the codec cannot
   * encode `record.data`.
   * @throws `TOO_LARGE` ({@link @sessions/core!TooLargeError | TooLargeError}): the encoded data is
   * over {@link maxPayloadBytes}.
   * @throws `CONFLICT` ({@link @sessions/core!ConflictError | ConflictError}): `ifVersion` is not
   * the stored live version; nothing was changed.
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult>;
  /**
   * Move the expiry of a live record (longer or shorter). False if missing or expired.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `key` is
   * malformed; refused before any I/O.
   * @throws `INVALID_RECORD` ({@link @sessions/core!InvalidRecordError | InvalidRecordError}):
   * `expiresAt` is not an integer.
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  touch(key: string, expiresAt: number): Promise<boolean>;
  /**
   * Remove a record. True if a live record was removed; deleting a missing key is a no-op.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `key` is
   * malformed; refused before any I/O.
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  delete(key: string): Promise<boolean>;
  /**
   * Every live session of a user.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `userId` is
   * malformed; refused before any I/O.
   * @throws `CORRUPT` ({@link @sessions/core!CorruptError | CorruptError}): a stored record does
   * not decode (reported, never a crash).
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  listByUser(userId: string): Promise<Array<StoredSession<D>>>;
  /**
   * Delete every session of a user (but `except`); resolves to how many live ones went.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `userId` or
   * `except` is malformed; refused before any I/O.
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number>;
  /**
   * Every live session in this namespace. Optional: for admin views and for
   * express-session's `all()` / `length()`. A full scan on most backends: keep it off the hot
   * path. Built-in stores all implement it.
   *
   * @throws `CORRUPT` ({@link @sessions/core!CorruptError | CorruptError}): a stored record does
   * not decode (reported, never a crash).
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  list?(): Promise<Array<StoredSession<D>>>;
  /**
   * Remove every record in this store's namespace, and nothing else.
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  clear(): Promise<void>;
  /**
   * Release resources (timers, connections the store opened). Safe to call twice.
   *
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the
   * backend's client failed to shut down; the driver's error is the `cause`.
   */
  close(): Promise<void>;
  /**
   * Physically remove expired records now; resolves to how many went. Present on stores whose
   * backend has no native expiry (or where it can be switched off).
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  prune?(): Promise<number>;
}

/**
 * Options every built-in store accepts, validated the same way by every store (the store kit
 * resolves them once, in the constructor; a bad value is a `TypeError` naming the option, a
 * bad namespace `INVALID_KEY`).
 *
 * @example
 * ```ts
 * const options: BaseStoreOptions = { namespace: 'shop', operationTimeout: 1000 };
 * ```
 */
export interface BaseStoreOptions<D = SessionData> {
  /**
   * Isolates this store's records from every other store on the same backend (a key prefix,
   * a table partition...). Letters, digits, `_`, `-`, `.`, `:`; default `"sessions"`.
   */
  namespace?: string;
  /** The application clock that decides visibility (default `Date.now`). */
  clock?: Clock;
  /** How `data` is encoded (default {@link @sessions/core!jsonCodec | jsonCodec}). */
  codec?: import('./codec.js').Codec<D>;
  /** Largest encoded payload accepted, in bytes (default 1 MiB, capped by the backend). */
  maxPayloadBytes?: number;
  /**
   * The most one operation may take, in ms (an integer from 1 to 2^31 - 1; default 2000).
   * Past it the operation rejects with `UNAVAILABLE` (a `TimeoutError` as cause) and the
   * request is cancelled where the backend's client can cancel it. Bulk operations (`clear`,
   * `list`, `prune`...) get this bound per request, not in total.
   */
  operationTimeout?: number;
  /**
   * Where failures of background work go (work no caller waits for: the periodic prune).
   * Default: a process warning, at most one a minute per store (the rest are counted in the
   * next one). Never dropped silently; a throwing callback is reported as a warning too.
   */
  onBackgroundError?: (error: Error) => void;
}

/**
 * Options of a store that removes expired records itself, on a timer (memory, SQLite,
 * MongoDB in `prune` mode): {@link BaseStoreOptions} and the interval.
 */
export interface PruningStoreOptions<D = SessionData> extends BaseStoreOptions<D> {
  /**
   * How often expired records are removed in the background, in ms (an integer from 0 to
   * 2^31 - 1; 0 turns the timer off and leaves `prune()` to you). The timer is unref'd: it
   * never keeps a process alive. Failures go to `onBackgroundError`.
   */
  pruneInterval?: number;
}
