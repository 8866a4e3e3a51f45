/**
 * Each system under test as one shape (get, set, touch, delete by session ID), and the work
 * the interleaved runner measures for it: an operation at a concurrency, over a pool of live
 * sessions (deletes over sessions written untimed just before).
 */
import type { Contender, SliceWork } from '@sessions/bench';
import { sessionIds } from './sessions.js';

/** The operations measured. */
export type Op = 'get' | 'set' | 'touch' | 'delete';

/** One measured cell: an operation with this many in flight at once. */
export interface Cell {
  op: Op;
  inFlight: number;
}

/** A system under test, driven by session ID. */
export interface Target {
  /** Read the session (and decode it). */
  get(sid: string): Promise<unknown>;
  /** Write the session with a fresh expiry, as a request that changed it does. */
  set(sid: string): Promise<unknown>;
  /** Move the session's expiry only; absent where the system has no such operation. */
  touch?(sid: string): Promise<unknown>;
  /** Delete the session. */
  delete(sid: string): Promise<unknown>;
  /**
   * Untimed, after the pool is written: load the session as the framework would hold it for
   * the next request (the object a later `set` saves).
   */
  prime?(sid: string): Promise<void>;
}

/** Most sessions written at once while setting up; more would only queue. */
const SETUP_CONCURRENCY = 64;
/** Most sessions a delete slice prepares: a bound on setup time for very fast systems. */
const MAX_PREPARED = 20_000;

async function inChunks(sids: readonly string[], fn: (sid: string) => Promise<unknown>) {
  for (let i = 0; i < sids.length; i += SETUP_CONCURRENCY) {
    await Promise.all(sids.slice(i, i + SETUP_CONCURRENCY).map(fn));
  }
}

/**
 * A {@link Target} as a contender of the interleaved runner, over `poolSize` live sessions
 * of its own. Call {@link TargetContender.setup} before measuring.
 */
export class TargetContender implements Contender<Cell> {
  readonly name: string;
  readonly #target: Target;
  readonly #pool: string[];
  /** Sessions written for delete slices and not deleted yet. */
  readonly #doomed: string[] = [];
  #cursor = 0;

  constructor(name: string, target: Target, poolSize: number) {
    this.name = name;
    this.#target = target;
    this.#pool = sessionIds(poolSize);
  }

  /** Write the pool's sessions, then let the target load them as the framework keeps them. */
  async setup(): Promise<void> {
    await inChunks(this.#pool, (sid) => this.#target.set(sid));
    const prime = this.#target.prime?.bind(this.#target);
    if (prime) await inChunks(this.#pool, prime);
  }

  work({ op, inFlight }: Cell): SliceWork | undefined {
    if (op === 'delete') return this.#deletes(inFlight);
    const target = this.#target;
    const run =
      op === 'get'
        ? target.get.bind(target)
        : op === 'set'
          ? target.set.bind(target)
          : target.touch?.bind(target);
    if (!run) return undefined;
    const pool = this.#pool;
    const next = () => pool[this.#cursor++ % pool.length] as string;
    if (inFlight === 1) {
      return {
        batch: async () => {
          await run(next());
          return 1;
        },
      };
    }
    return {
      batch: async () => {
        const calls: Array<Promise<unknown>> = [];
        for (let i = 0; i < inFlight; i++) calls.push(run(next()));
        await Promise.all(calls);
        return inFlight;
      },
    };
  }

  #deletes(inFlight: number): SliceWork {
    const doomed = this.#doomed;
    const target = this.#target;
    return {
      prepare: async (ops) => {
        const wanted = Math.min(MAX_PREPARED, Math.max(ops, inFlight * 2));
        const fresh = sessionIds(Math.max(0, wanted - doomed.length));
        await inChunks(fresh, (sid) => target.set(sid));
        doomed.push(...fresh);
      },
      batch: async () => {
        if (doomed.length < inFlight) return 0;
        const sids = doomed.splice(doomed.length - inFlight, inFlight);
        if (inFlight === 1) await target.delete(sids[0] as string);
        else await Promise.all(sids.map((sid) => target.delete(sid)));
        return inFlight;
      },
    };
  }
}
