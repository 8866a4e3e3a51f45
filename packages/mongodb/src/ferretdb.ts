/**
 * What only FerretDB 1.x needs: a per-document write queue within the process, and the local
 * compare-and-set shortcut it makes possible. On for FerretDB (detected from `buildInfo`) or
 * with `serializeWrites: true`; a real MongoDB runs without them.
 *
 * Why: FerretDB 1.x evaluates an update's filter on a snapshot and then writes the whole
 * document back by `_id`, outside any transaction (FerretDB issue #3040). Twenty writers racing
 * `updateOne({ _id, version: 1 }, …)` all "match", all write, and all report success; a
 * `touch` can write back data a concurrent `set` just replaced. Queueing the writes of one
 * `_id` keeps compare-and-set exact between the writers of one process (not across processes).
 */
import { CONFLICT, deadlineExceeded, type Operation, type RecordWrite } from '@sessions/core/kit';
import type { Db, Document } from 'mongodb';
import { SOURCE } from './options.js';

/** Whether a `buildInfo` reply comes from FerretDB (it reports its own `ferretdbVersion`). */
export function isFerretDb(buildInfo: Document): boolean {
  return typeof buildInfo.ferretdbVersion === 'string';
}

/** Ask the server behind `db` whether it needs the write queue. */
export async function needsWriteQueue(db: Db, op: Operation): Promise<boolean> {
  return isFerretDb(await db.command({ buildInfo: 1 }, { signal: op.signal }));
}

/** The queued writes of one document. */
interface Chain {
  /** Settles (never rejects) when the last queued write has settled. */
  tail: Promise<void>;
  /** Writes queued or running: the chain goes when none is left. */
  writes: number;
  /** What the previous write left, when it was a successful `set`. */
  last: { version: number; expiresAt: number } | undefined;
}

const ignore = () => {};

/** Per-document FIFO queues of writes; see the module comment. */
export class WriteQueue {
  readonly #chains = new Map<string, Chain>();

  /** Run `work` once every earlier write queued under `id` has settled. */
  run<T>(id: string, work: (chain: Chain) => Promise<T>): Promise<T> {
    let chain = this.#chains.get(id);
    if (chain === undefined) {
      chain = { tail: Promise.resolve(), writes: 0, last: undefined };
      this.#chains.set(id, chain);
    }
    const current = chain;
    current.writes++;
    const result = current.tail.then(() => work(current));
    current.tail = result.then(ignore, ignore);
    return result.finally(() => {
      if (--current.writes === 0) this.#chains.delete(id);
    });
  }

  /** How many documents have writes queued or running (for tests). */
  get size(): number {
    return this.#chains.size;
  }
}

/** One queue for the process: two stores (or clients) on one collection serialise too. */
export const processWriteQueue = new WriteQueue();

/**
 * A queued write that would start with less than this left before its deadline gives up: a
 * clean `UNAVAILABLE` before writing rather than a write cut off (and maybe done) halfway.
 */
const MIN_TIME_TO_WRITE_MS = 50;

/**
 * FerretDB writes in flight at once from this process. FerretDB 1.x on SQLite takes one writer
 * at a time (its SQLite write lock; the rest wait in SQLite's busy handler), so more in flight
 * only queue inside the server, where a timed-out one must be cancelled through the driver.
 * Queued here, a write whose deadline comes first gives up without a round trip. Measured with
 * 2,000 first calls on a fresh collection: as many writes acknowledged (260-550 either way), and
 * the last answer 1.96-1.98 s into the 2 s bound with 4 slots, against 2.05-2.09 s without.
 */
const WRITE_SLOTS = 4;

/** A counting semaphore with a FIFO of waiters (none waits past its turn: see `runWrite`). */
class WriteSlots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  take(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

const writeSlots = new WriteSlots(WRITE_SLOTS);

/** Throw `UNAVAILABLE` when too little time is left to start a write (see MIN_TIME_TO_WRITE_MS). */
function assertTimeToWrite(op: Operation, queuedAt: number): void {
  if (op.remaining() >= MIN_TIME_TO_WRITE_MS) return;
  const waited = `waited ${Math.round(performance.now() - queuedAt)} ms for earlier writes`;
  throw deadlineExceeded(SOURCE, op.name, op.ms, waited);
}

/** Run `work` in a write slot, if there is still time once it has one. */
async function runWrite<T>(op: Operation, queuedAt: number, work: () => Promise<T>): Promise<T> {
  await writeSlots.take();
  try {
    assertTimeToWrite(op, queuedAt);
    return await work();
  } finally {
    writeSlots.give();
  }
}

/**
 * Run `work` behind this process's earlier writes to the document `id`, then in one of the
 * process's few write slots. With `set` (the write of a `set`), a compare-and-set bound to lose
 * fails without a round trip: the write just before it left another version (or, for
 * `ifVersion: 0`, a live record). Versions only grow (bar a re-creation), so at worst this is a
 * conflict a round trip might not have reported; nothing changes and the caller retries.
 * Without it, racing writers fill the queue with doomed writes.
 */
export function queueWrite<T>(
  id: string,
  op: Operation,
  work: () => Promise<T>,
  set?: RecordWrite,
): Promise<T> {
  const queuedAt = performance.now();
  return processWriteQueue.run(id, async (chain) => {
    assertTimeToWrite(op, queuedAt);
    const previous = chain.last;
    chain.last = undefined;
    if (set === undefined) return runWrite(op, queuedAt, work);
    const ifVersion = set.ifVersion;
    if (previous !== undefined && ifVersion !== undefined) {
      const lost = ifVersion === 0 ? op.now < previous.expiresAt : previous.version !== ifVersion;
      if (lost) {
        chain.last = previous; // nothing is written: what it left still stands
        return CONFLICT as T;
      }
    }
    const version = await runWrite(op, queuedAt, work);
    if (typeof version === 'number') chain.last = { version, expiresAt: set.expiresAt };
    return version;
  });
}
