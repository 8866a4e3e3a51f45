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
export class WriteQueue {
  /** The tail of each busy document's queue; idle documents have no entry. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Run `work` once every earlier write queued under `id` has settled. */
  run<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(id);
    let release: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous ? previous.then(() => settled) : settled;
    this.#tails.set(id, tail);
    const result = (previous ?? Promise.resolve()).then(work);
    // Release on either outcome; `previous` never rejects, it only chains releases.
    return result.finally(() => {
      release();
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    });
  }

  /** How many documents have writes queued or running (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}

/**
 * One queue for the whole process, so that two stores (or two clients) writing the same
 * collection serialise too. Keyed by `<database>.<collection>` plus the `_id`.
 */
export const processWriteQueue = new WriteQueue();
