/**
 * What a backend brings: its primitives, nothing else. The kit ({@link DriverStore}) turns a
 * driver into a full `SessionStore` and owns the shell around it: validation, the closed guard,
 * the codec and the size limit, visibility by the application clock, the one error-mapping
 * site, the one deadline, options and the background prune.
 *
 * A driver works with encoded data (strings) and already-validated arguments. Every primitive
 * may return its value directly (a synchronous backend such as SQLite, or memory) or a native
 * `Promise` of it; the kit bounds the promise by `operationTimeout`.
 */
import type { SessionError } from '../errors.js';
import type { Operation } from './operation.js';

/** A value, or a native promise of it. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A record as the backend holds it. The kit checks every field (a wrong type is `CORRUPT`),
 * decides visibility (`op.now < expiresAt`) and decodes `data` with the store's codec, so a
 * driver may hand back a row or a parsed header as it is.
 */
export interface StoredRecord {
  /** The codec's text, as stored. */
  data: unknown;
  /** Epoch ms; must be a safe integer. */
  expiresAt: unknown;
  /** The owner; `null` or `undefined` when there is none. */
  userId?: unknown;
  /** The stored version; must be a safe integer of at least 1. */
  version: unknown;
}

/** A record with its key, as `listByUser` and `list` return them. */
export interface StoredEntry extends StoredRecord {
  /** The store key the record is stored under (without the backend's namespace prefix). */
  key: string;
}

/** One write, as the kit hands it to {@link StoreDriver.set}: validated and encoded. */
export interface RecordWrite {
  /** The store key, validated (without the backend's namespace prefix). */
  readonly key: string;
  /** The codec's text, within the store's `maxPayloadBytes`. */
  readonly data: string;
  /** Always after `op.now`: a write in the past reaches the driver as a `delete`. */
  readonly expiresAt: number;
  /** The owner to index the record under, validated; `undefined` for an anonymous session. */
  readonly userId: string | undefined;
  /**
   * Compare-and-set: write only if the live stored version is this one (`0`: only if there is
   * no live record). `undefined`: write unconditionally.
   */
  readonly ifVersion: number | undefined;
}

/** What a compare-and-set primitive returns when the stored version is another one. */
export const CONFLICT: unique symbol = Symbol('sessions.conflict');
/** The type of {@link CONFLICT}. */
export type Conflict = typeof CONFLICT;

/** An opaque position in a paged operation, chosen by the driver. */
export type Cursor = unknown;

/**
 * One page of a bulk operation that has more: the kit calls the primitive again with `next`,
 * each page under a deadline of its own, so a large namespace takes as long as it needs while
 * no single request can hang. Build it with {@link more}.
 */
export class NextPage<T> {
  constructor(
    /** What this page produced (entries, a count, or nothing). */
    readonly value: T,
    /** Where the next page starts. */
    readonly next: Cursor,
  ) {}
}

/**
 * A page with more to come (see {@link NextPage}). Return the value alone on the last page.
 *
 * @example
 * ```ts
 * clear(op, cursor) {
 *   const { keys, next } = scan(cursor ?? 0);
 *   deleteAll(keys);
 *   return next === 0 ? undefined : more(undefined, next);
 * }
 * ```
 */
export function more<T>(value: T, next: Cursor): NextPage<T> {
  return new NextPage(value, next);
}

/** A bulk primitive's result: the last page's value, or a page with more. */
export type Paged<T> = Awaitable<T | NextPage<T>>;

/**
 * How the kit should report a failure the driver recognises. Anything else is classified by the
 * kit: `SessionError`s pass through, programmer errors (`TypeError`, `RangeError`,
 * `ReferenceError`, `SyntaxError`) are rethrown as they are, and the rest is `UNAVAILABLE`.
 * - `'unavailable'`: the backend failed or cannot be reached (`UNAVAILABLE`, the error as cause);
 * - `'corrupt'`: the backend holds something that is not a session (`CORRUPT`);
 * - `'bug'`: the driver was misused (an argument error of the client library): rethrown as is;
 * - a `SessionError`: reported as it is (to give a message that says what to do).
 */
export type ErrorKind = 'unavailable' | 'corrupt' | 'bug' | SessionError;

/**
 * A backend's primitives. Implement these and extend {@link DriverStore} (or
 * {@link PruningDriverStore} when the backend has no native expiry): the kit does the rest.
 *
 * Every primitive gets an {@link Operation}: the application clock's `now` (the only "now" a
 * driver may use to decide what is live), and the deadline, with an `AbortSignal` to hand to any
 * client call that can be cancelled.
 */
export interface StoreDriver {
  /** The record stored under `key`, live or not (the kit drops what is not live), or `undefined`. */
  get(key: string, op: Operation): Awaitable<StoredRecord | undefined>;
  /**
   * Write `write.data` under `write.key`, atomically with the user index and the compare-and-set
   * of `write.ifVersion`. Resolves to the stored version: 1 when no live record was there, the
   * live record's version + 1 otherwise (also for unconditional writes, so concurrent writers
   * get distinct versions). {@link CONFLICT} when `ifVersion` does not match; nothing changed.
   */
  set(write: RecordWrite, op: Operation): Awaitable<number | Conflict>;
  /**
   * Move the expiry of a live record to `expiresAt` (always after `op.now`); never create or
   * resurrect one. True if a live record was there.
   */
  touch(key: string, expiresAt: number, op: Operation): Awaitable<boolean>;
  /**
   * Remove the record under `key` (live or expired) and its user-index entry. True if the
   * removed record was live. With `ifVersion` (a `set` whose expiry has passed): remove only if
   * the live version is `ifVersion` (`0`: only if no live record exists), else
   * {@link CONFLICT}.
   */
  delete(key: string, ifVersion: number | undefined, op: Operation): Awaitable<boolean | Conflict>;
  /** The records indexed under `userId` (the kit keeps the live ones that `userId` still owns). */
  listByUser(userId: string, op: Operation, cursor: Cursor | undefined): Paged<StoredEntry[]>;
  /**
   * Delete the records `userId` owns, except `except`; resolves to how many of them were live.
   * Must not delete a record that now belongs to someone else.
   */
  deleteByUser(
    userId: string,
    except: string | undefined,
    op: Operation,
    cursor: Cursor | undefined,
  ): Paged<number>;
  /** Every record of the namespace (the kit keeps the live ones). */
  list(op: Operation, cursor: Cursor | undefined): Paged<StoredEntry[]>;
  /** Remove every record of the namespace, and its user index. */
  clear(op: Operation, cursor: Cursor | undefined): Paged<void>;
  /**
   * Remove expired records (by `op.now`) physically; resolves to how many went. Only for
   * backends without native expiry, or where it can be switched off.
   */
  prune?(op: Operation, cursor: Cursor | undefined): Paged<number>;
  /**
   * Work to do once before the first operation (create a table, indexes). Shared by concurrent
   * callers, run under the first operation's deadline, retried by the next operation if it fails.
   */
  prepare?(op: Operation): Promise<void>;
  /** Release what the driver opened (never what it was given). Called once. */
  close(op: Operation): Awaitable<void>;
  /** Recognise a failure of the client library (see {@link ErrorKind}); `undefined`: the kit decides. */
  classify?(error: unknown): ErrorKind | undefined;
}
