/** A backend's line-up: the servers it started, the systems compared on it, and cleanup. */
import type { TargetContender } from './target.js';

/** One backend, ready to measure. */
export interface Backend {
  /** Printed as the section title, e.g. `Redis (redis-server 7.2, loopback)`. */
  title: string;
  /** Printed under the title: what each row does, and what is not alike between them. */
  notes: string[];
  /**
   * Server processes whose CPU time is reported per operation (none for in-process backends);
   * a function when they change with connections, read at each measured slice.
   */
  serverPids: number[] | (() => number[]);
  /** Concurrency levels measured, when not the usual 1 and 64 (a server too slow for 64). */
  inFlight?: number[];
  /** The systems compared; the first is the simplest raw work, which the ratios are taken to. */
  contenders: TargetContender[];
  /** Close clients and stop the servers this backend started. */
  close(): Promise<void>;
}

/** Sets a backend up with `poolSize` live sessions per system. */
export interface BackendSpec {
  /** Short name for `BENCH_BACKENDS`: memory, sqlite, redis, postgres, mongodb, dynamodb. */
  name: string;
  /** Live sessions per system; a slow server gets fewer so a run stays short. */
  poolSize: number;
  open(poolSize: number): Promise<Backend>;
}

/** Run `fn`, and when it throws, `cleanup` first; used while a backend is half set up. */
export async function orCleanup<T>(fn: () => Promise<T>, cleanup: () => Promise<unknown>) {
  try {
    return await fn();
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}
