/**
 * What only FerretDB 1.x needs, switched on only there (detected from `buildInfo`, or forced by
 * `serializeWrites`). FerretDB 1.x evaluates an update's filter on a snapshot, then writes the
 * whole document back by `_id` outside any transaction (FerretDB issue #3040): twenty writers
 * racing `updateOne({ _id, version: 1 }, …)` all "match" and all report success, and a `touch`
 * can write back data a concurrent `set` just replaced. Queueing the writes of one `_id` keeps
 * compare-and-set exact between the writers of one process (not across processes).
 */
import { CONFLICT, deadlineExceeded, type Operation, type RecordWrite } from '@sessions/core/kit';
import type { Db, Document } from 'mongodb';
import { SOURCE } from './options.js';

// A queued write that would start with less than this left before its deadline gives up: a
// clean `UNAVAILABLE` before writing rather than a write cut off (and maybe done) halfway.
const MIN_TIME_TO_WRITE_MS = 50;

/** Whether a `buildInfo` reply comes from FerretDB (it reports its own `ferretdbVersion`). */
export function isFerretDb(buildInfo: Document): boolean {
  return typeof buildInfo.ferretdbVersion === 'string';
}

/**
 * The queued writes of one document: `tail` settles (never rejects) with the last of them,
 * `writes` counts those queued or running (none left: the chain goes), `last` is what the
 * previous write left when it was a successful `set`.
 */
interface Chain {
  tail: Promise<void>;
  writes: number;
  last: { version: number; expiresAt: number } | undefined;
}

// One queue for the process, by `<database>.<collection>\0<_id>`: two stores (or clients) on one
// collection serialise too.
const chains = new Map<string, Chain>();
const ignore = () => {};

/** How many documents have writes queued or running in this process (for tests). */
export function queuedDocuments(): number {
  return chains.size;
}

/** Whether a store's writes are queued, and the queued writes themselves. */
export class FerretDbWrites {
  /** Undefined until the server was asked (`serializeWrites: 'auto'`). */
  #on: boolean | undefined;
  #asking: Promise<boolean> | undefined;

  constructor(
    setting: boolean | 'auto' | undefined,
    private readonly db: Db,
    /** `<database>.<collection>`: writes to one document of it share a queue. */
    private readonly scope: string,
    private readonly timeoutMs: number,
  ) {
    this.#on = setting === 'auto' || setting === undefined ? undefined : setting;
  }

  /** Whether writes are queued: the option, else the server's answer (asked once, shared). */
  on(op: Operation): boolean | Promise<boolean> {
    if (this.#on !== undefined) return this.#on;
    this.#asking ??= this.db.command({ buildInfo: 1 }, { signal: op.signal }).then(
      (reply) => (this.#on = isFerretDb(reply)),
      (err: unknown) => {
        this.#asking = undefined;
        throw err;
      },
    );
    return this.#asking;
  }

  /**
   * Run `work` (a write to the document `id`): directly, or on FerretDB behind this process's
   * earlier writes to it. With `set` (the write of a `set`), a compare-and-set bound to lose
   * fails without a round trip: the write just before it left another version (or, for
   * `ifVersion: 0`, a live record). Versions only grow (bar a re-creation), so at worst this is a
   * conflict a round trip might not have reported; nothing changes and the caller retries.
   * Without it, racing writers fill the queue with doomed writes.
   */
  async write<T>(id: string, op: Operation, work: () => Promise<T>, set?: RecordWrite): Promise<T> {
    if (!(this.#on ?? (await this.on(op)))) return work();
    const key = `${this.scope}\0${id}`;
    let chain = chains.get(key);
    if (chain === undefined) {
      chain = { tail: Promise.resolve(), writes: 0, last: undefined };
      chains.set(key, chain);
    }
    const current = chain;
    current.writes++;
    const result = current.tail.then(() => this.#queued(current, op, work, set));
    current.tail = result.then(ignore, ignore);
    return result.finally(() => {
      if (--current.writes === 0) chains.delete(key);
    });
  }

  /** A write whose turn has come. */
  async #queued<T>(chain: Chain, op: Operation, work: () => Promise<T>, set?: RecordWrite) {
    if (op.remaining() < MIN_TIME_TO_WRITE_MS) {
      throw deadlineExceeded(SOURCE, op.name, this.timeoutMs);
    }
    const previous = chain.last;
    chain.last = undefined;
    if (set === undefined) return work();
    const { ifVersion } = set;
    if (previous !== undefined && ifVersion !== undefined) {
      if (ifVersion === 0 ? op.now < previous.expiresAt : previous.version !== ifVersion) {
        chain.last = previous; // nothing is written: what it left still stands
        return CONFLICT as T;
      }
    }
    const version = await work();
    if (typeof version === 'number') chain.last = { version, expiresAt: set.expiresAt };
    return version;
  }
}
