/**
 * Serialises the writes to one document within this process.
 *
 * Why: FerretDB 1.x evaluates an update's filter on a snapshot and then writes the whole
 * document back by `_id`, outside any transaction (FerretDB issue #3040). Twenty writers racing
 * `updateOne({ _id, version: 1 }, …)` all "match", all write, and all report success; an
 * `$inc` loses increments; a `touch` can write back data a concurrent `set` just replaced.
 * Queueing the writes of one `_id` keeps compare-and-set exact between writers of one process
 * on such servers. On MongoDB each update is atomic by itself and the queue only orders what
 * would be ordered anyway. Across processes only the server can help: see the README.
 */

/**
 * What the writes of one document know while they run back to back. Lets a compare-and-set
 * that is bound to lose (the write just before it left another version) fail at once instead
 * of waiting for a round trip: with many writers racing on one session, the queue would
 * otherwise fill with doomed writes.
 */
export interface WriteChain {
  /** What the previous write of this chain left, when it succeeded; else undefined. */
  last: { version: number; expiresAt: number } | undefined;
}

interface ChainEntry {
  /** Settles when the last queued write has settled; never rejects. */
  tail: Promise<void>;
  chain: WriteChain;
}

/** Per-document FIFO queues of writes; see the module comment. */
export class WriteQueue {
  /** Busy documents only: an entry goes when its last write settles. */
  readonly #entries = new Map<string, ChainEntry>();

  /** Run `work` once every earlier write queued under `id` has settled. */
  run<T>(id: string, work: (chain: WriteChain) => Promise<T>): Promise<T> {
    const previous = this.#entries.get(id);
    let release: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entry: ChainEntry = {
      tail: previous ? previous.tail.then(() => settled) : settled,
      chain: previous?.chain ?? { last: undefined },
    };
    this.#entries.set(id, entry);
    const result = (previous?.tail ?? Promise.resolve()).then(() => work(entry.chain));
    return result.finally(() => {
      release();
      if (this.#entries.get(id) === entry) this.#entries.delete(id);
    });
  }

  /** How many documents have writes queued or running (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * One queue for the whole process, so that two stores (or two clients) writing the same
 * collection serialise too. Keyed by `<database>.<collection>` plus the `_id`.
 */
export const processWriteQueue = new WriteQueue();
