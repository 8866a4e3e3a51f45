/**
 * {{name}}'s primitives: everything the store does that is specific to {{name}}, and nothing
 * else. Each one throws `NotImplementedError` naming itself until it is written: run the
 * conformance suite and it tells you which to write next (CONTRIBUTING.md, "Adding a backend";
 * `packages/core/src/memory/memory-driver.ts` is the reference driver).
 *
 * The kit hands every primitive validated arguments, encoded data (strings) and an
 * `Operation`: `op.now` is the only "now" that decides what is live, and `op.signal` aborts at
 * the deadline (pass it to every client call that can be cancelled; for a client that takes no
 * signal, `op.onExpiry(cancel)` is the cheaper hook). A primitive may return
 * its value directly or a native promise of it. Throw the client's errors as they are: the kit
 * maps them (add `classify(error)` to tell it which are outages and which are bugs).
 */
import { NotImplementedError } from '@sessions/core';
import type {
  Awaitable,
  Conflict,
  Cursor,
  Operation,
  Paged,
  RecordWrite,
  StoreDriver,
  StoredEntry,
  StoredRecord,
} from '@sessions/core/kit';
import { SOURCE } from './options.js';

const notYet = (primitive: string) => new NotImplementedError(SOURCE, `{{Name}}Driver.${primitive}`);

/**
 * The {{name}} backend as a `StoreDriver`, for one namespace. Add `prepare(op)` if {{name}}
 * needs a table or an index created once before the first operation.
 */
export class {{Name}}Driver implements StoreDriver {
  constructor(
    /** The caller's client (see `{{Name}}StoreOptions.client`). */
    readonly client: unknown,
    /** Every record this driver reads or writes lives in this namespace, and only there. */
    readonly namespace: string,
  ) {}

  /** The record under `key`, live or expired (the kit drops expired ones), or `undefined`. */
  get(_key: string, _op: Operation): Awaitable<StoredRecord | undefined> {
    throw notYet('get');
  }

  /**
   * Write atomically with the user index and the compare-and-set of `write.ifVersion` (`0`: only
   * if no live record exists). Return the new version (the live one + 1, or 1), or `CONFLICT`.
   */
  set(_write: RecordWrite, _op: Operation): Awaitable<number | Conflict> {
    throw notYet('set');
  }

  /** Move a live record's expiry to `expiresAt`; never create or resurrect. True if it was live. */
  touch(_key: string, _expiresAt: number, _op: Operation): Awaitable<boolean> {
    throw notYet('touch');
  }

  /**
   * Remove the record and its user-index entry; true if it was live. With `ifVersion`, only if
   * the live version matches (`0`: no live record), else `CONFLICT`.
   */
  delete(
    _key: string,
    _ifVersion: number | undefined,
    _op: Operation,
  ): Awaitable<boolean | Conflict> {
    throw notYet('delete');
  }

  /** The records indexed under `userId` (return `more(page, cursor)` to page). */
  listByUser(_userId: string, _op: Operation, _cursor: Cursor | undefined): Paged<StoredEntry[]> {
    throw notYet('listByUser');
  }

  /** Delete what `userId` owns but `except`; resolve to how many were live. */
  deleteByUser(
    _userId: string,
    _except: string | undefined,
    _op: Operation,
    _cursor: Cursor | undefined,
  ): Paged<number> {
    throw notYet('deleteByUser');
  }

  /** Every record of the namespace. */
  list(_op: Operation, _cursor: Cursor | undefined): Paged<StoredEntry[]> {
    throw notYet('list');
  }

  /** Remove every record of the namespace, and its user index. */
  clear(_op: Operation, _cursor: Cursor | undefined): Paged<void> {
    throw notYet('clear');
  }

  /** Physically remove the records expired by `op.now`; resolve to how many went. */
  prune(_op: Operation, _cursor: Cursor | undefined): Paged<number> {
    throw notYet('prune');
  }

  /** Release what the driver opened, never the client it was given. */
  close(_op: Operation): Awaitable<void> {}
}
