/**
 * What the soak's processes tell each other: the configuration a worker starts with, and the
 * figures it reports for every window and at the end.
 */
import type { Histogram } from './histogram.js';

/** A module export that wraps a store (the self-test's broken variants): `module#export`. */
export interface StoreWrap {
  /** A file URL or package specifier the worker can `import()`. */
  module: string;
  /** The exported function `(store) => store`. */
  export: string;
}

/** Everything a worker process needs to build its store and run its share of the load. */
export interface WorkerConfig {
  /** The backend's name (a key of the backend registry). */
  backend: string;
  /** How to reach the backend (URL, file path...), as the backend's host side gave it. */
  connection: Record<string, string>;
  namespace: string;
  workerId: number;
  /** Operations per second this worker issues, spread over its lanes. */
  rate: number;
  /** Sequential lanes; each owns its keys and users, so lanes never race each other. */
  lanes: number;
  /** Lifetimes of churned sessions, ms: uniform in `[min, max]` (short, so they really expire). */
  ttlMs: [number, number];
  /** Sessions per worker that live for the whole run (updated, touched, never expired). */
  longSessions: number;
  /** Counters every worker increments by compare-and-set: the cross-process contention. */
  hotCounters: number;
  /** Whether this worker calls `prune()` (one worker per backend does). */
  prunes: boolean;
  /** How long the long-lived sessions must outlive the run, ms. */
  runMs: number;
  wrap?: StoreWrap;
}

/** Memory of a worker after a forced full GC. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** What a worker found when it read its acknowledged writes back through raw access. */
export interface ReadBackResult {
  /** Records checked that should be live (with the exact payload last acknowledged). */
  checked: number;
  /** Acknowledged live records missing, or holding an older payload. */
  lost: number;
  /** Records whose delete was acknowledged but that the backend still holds. */
  resurrected: number;
  /** A few of the keys concerned, for the report. */
  examples: string[];
}

/** One worker's report for one window. */
export interface WindowReport {
  type: 'window';
  workerId: number;
  memory: MemorySample;
  /** Latency of the session operations (prune excluded) in this window. */
  latency: Histogram;
  ops: number;
  conflicts: number;
  /** Failures other than an expected CONFLICT, by code. */
  errors: Record<string, number>;
  readBack: ReadBackResult;
  /** Backend storage figures (rows, bytes...), from the worker that measures them. */
  storage?: Record<string, number>;
}

/** A worker's report after it stopped: counter successes for the cross-process check. */
export interface DrainedReport {
  type: 'drained';
  workerId: number;
  /** Acknowledged increments per hot counter. */
  acked: number[];
  /** Increments per hot counter that failed with an unknown outcome (they may have landed). */
  uncertain: number[];
}

/** A worker's last report, after `close()`. */
export interface DoneReport {
  type: 'done';
  workerId: number;
  readBack: ReadBackResult;
  /** Hot counters whose stored value differs from the sum of acknowledged increments. */
  counterMismatches: string[];
  /** Resource types still active after `close()` that were not before the store existed. */
  leakedHandles: Record<string, number>;
}

/** Messages the host sends a worker. */
export type HostMessage =
  | { type: 'start' }
  | { type: 'window'; measureStorage: boolean }
  | { type: 'stop' }
  | { type: 'finish'; expectedCounters?: number[]; uncertainCounters?: number[] };

/** Messages a worker sends the host. */
export type WorkerMessage =
  | { type: 'ready'; workerId: number }
  | WindowReport
  | DrainedReport
  | DoneReport
  | { type: 'failed'; workerId: number; message: string };
