/**
 * How every operation of the store runs: within its bound, after the client is usable and the
 * indexes exist, with driver errors turned into `UNAVAILABLE`, and writes queued per document.
 */
import { toSessionError, UnavailableError, withDeadline } from '@sessions/core';
import type { TopologyReopener } from './connection.js';
import type { IndexSetup } from './indexes.js';
import { SOURCE } from './options.js';
import { processWriteQueue, type WriteChain } from './write-queue.js';

/**
 * A queued write that would start with less than this left of its bound gives up instead:
 * better a clean `UNAVAILABLE` before writing than a deadline hit in the middle of the write.
 */
const MIN_TIME_TO_WRITE_MS = 50;

/** What an {@link OperationRunner} works with. */
export interface RunnerParts {
  /** The bound of every operation, in ms. */
  timeout: number;
  indexes: IndexSetup;
  /** Whether operations create the indexes first (`autoIndex`). */
  autoIndex: boolean;
  topology: TopologyReopener;
  /** `<database>.<collection>`: writes to the same document of it share a queue. */
  queueScope: string;
}

/** Runs the store's operations; see the module comment. */
export class OperationRunner {
  constructor(private readonly parts: RunnerParts) {}

  /**
   * Run one operation within the bound: reopen the client if needed, create the indexes
   * (once), then `work`, which gets the operation's deadline (epoch ms).
   */
  async run<T>(
    operation: string,
    work: (deadline: number) => Promise<T>,
    indexFirst = this.parts.autoIndex,
  ): Promise<T> {
    const { timeout, indexes, topology } = this.parts;
    const deadline = Date.now() + timeout;
    const attempt = async () => {
      if (topology.needed) await topology.reopen();
      if (indexFirst && !indexes.ready) await indexes.ensure();
      return work(deadline);
    };
    try {
      return await withDeadline(attempt(), timeout, SOURCE, operation);
    } catch (err) {
      topology.observe(err);
      throw toSessionError(err, SOURCE, operation);
    }
  }

  /**
   * {@link run}, queued behind this process's earlier writes to the same document. `work` gets
   * what the write just before it left (when known) and the chain to record its own outcome.
   */
  write<T>(
    operation: string,
    id: string,
    work: (previous: WriteChain['last'], chain: WriteChain) => Promise<T>,
  ): Promise<T> {
    return this.run(operation, (deadline) => {
      const queuedAt = Date.now();
      return processWriteQueue.run(`${this.parts.queueScope}\0${id}`, async (chain) => {
        // Waited out the bound behind earlier writes: give up before writing, not after.
        if (deadline - Date.now() < MIN_TIME_TO_WRITE_MS) {
          const waited = Date.now() - queuedAt;
          throw new UnavailableError(
            SOURCE,
            `${operation} waited ${waited} ms for earlier writes of this session`,
          );
        }
        // Whatever happens next, the previous write's outcome is no longer the latest news;
        // `work` records its own outcome in the chain when it knows it.
        const previous = chain.last;
        chain.last = undefined;
        return work(previous, chain);
      });
    });
  }
}
