/**
 * The shapes the harness works with: what it injures (a {@link FaultTarget}), what it records
 * for each operation, and the figures it reports per store and scenario.
 */

/**
 * A backend the harness can injure. For a server: SIGKILL it and start it again on the same
 * port (see `serverTarget`). For the in-memory self-test: a switch.
 *
 * @example
 * ```ts
 * const target = serverTarget(redis, { isEmptyAfterRestart: true, readBack: (key) => exists(key) });
 * ```
 */
export interface FaultTarget {
  /** Stop the backend abruptly (SIGKILL for a server) and resolve once it is gone. */
  kill(): Promise<void>;
  /** Bring it back (on the same port) and resolve once it accepts connections again. */
  restart(): Promise<void>;
  /** True when a restart loses everything it held (an in-memory server without persistence). */
  readonly isEmptyAfterRestart: boolean;
  /**
   * Whether `key` is really held by the backend, asked through a second, independent client
   * (or raw access) — never through the store under test.
   */
  readBack(key: string): Promise<boolean>;
  /**
   * Optional: freeze the backend without closing its connections (SIGSTOP), just before
   * `kill()`. A frozen server sends nothing more, so every acknowledgement that arrives after
   * the harness has drained the ones already on the wire is provably not from the server.
   * Without it, "acknowledged after the kill" is the best boundary the harness has.
   */
  freeze?(): void;
  /**
   * Optional: undo `freeze()` (SIGCONT): the backend runs again with its connections and data
   * as they were. Needed by the freeze scenario, which never kills the backend.
   */
  thaw?(): void;
}

/** The operations the harness issues; `create` and `close` are building and closing a store. */
export type OperationKind = 'get' | 'set' | 'create' | 'close';

/** One operation as the harness saw it. Times are `performance.now()` milliseconds. */
export interface OperationSample {
  kind: OperationKind;
  key: string;
  issuedAt: number;
  /** Undefined while the operation is still pending. */
  settledAt: number | undefined;
  ok: boolean;
  /** For a failure: the `SessionError` code, or `RAW:<name>` for anything else. */
  code?: string;
  /** For a failure: whether the error carried a `cause`. */
  hasCause?: boolean;
  /** For a failure: the error message (kept for the report). */
  message?: string;
}

/** The moments that delimit a fault, in `performance.now()` milliseconds. */
export interface FaultMarks {
  /** The backend stopped answering (frozen, or killed when it cannot be frozen). */
  stoppedAt: number;
  /** The kill signal was sent. Acknowledgements settled after this are not the old server's. */
  killedAt: number;
  /** `restart()` was called (undefined when the scenario never restarts). */
  restartCalledAt?: number;
  /** `restart()` resolved: the backend accepts connections again. */
  restartedAt?: number;
}

/**
 * How the compare-and-set writes of a scenario ended up (the latency scenarios; see
 * `cas-writer.ts` for the rules behind each figure).
 */
export interface CasFigures {
  /** Writes attempted (each counted once, however many retries it took). */
  writes: number;
  /** Acknowledged on the first attempt. */
  acknowledged: number;
  /** First attempt failed with `UNAVAILABLE`: outcome unknown until resolved. */
  unavailable: number;
  /** Of those: the retry met `CONFLICT` and the record showed the write applied (once). */
  resolvedApplied: number;
  /** Of those: the retry succeeded, so the first attempt had not been applied. */
  resolvedNotApplied: number;
  /** Of those: retries failed too; the final read found it applied or not. */
  unresolved: number;
  /** Every broken rule, as a sentence. */
  violations: string[];
}

/** What the harness measured for one store in one scenario. */
export interface OutageResult {
  /** Store label, e.g. `redis (standalone)`. */
  store: string;
  /** Scenario label, e.g. `steady load, 10 s outage`. */
  scenario: string;
  /** The store's configured bound on any operation, in ms. */
  boundMs: number;
  attempted: number;
  succeeded: number;
  failed: number;
  /** Operations that never settled, even after the harness waited well past the bound. */
  hung: number;
  /** The longest time any operation waited (a hung one counts up to when the harness gave up). */
  longestWaitMs: number;
  /** The shortest wait of a failed operation (how early the store gave up); undefined if none. */
  shortestFailureMs: number | undefined;
  /** How many failures carried each code (`UNAVAILABLE`, `RAW:Error`...). */
  errorCodes: Record<string, number>;
  /** Failures that were not `UNAVAILABLE` with a `cause` (first few, for the report). */
  badFailures: string[];
  /** How many failures were not `UNAVAILABLE` with a `cause`. */
  badFailureCount: number;
  unhandledRejections: string[];
  uncaughtExceptions: string[];
  /** Event-loop delay over the scenario, beyond the sampling interval, in ms. */
  eventLoopDelayMaxMs: number;
  eventLoopDelayP99Ms: number;
  /**
   * From `restart()` resolving to the first successful operation on the same store instance,
   * in ms (0 if one succeeded while `restart()` was still confirming readiness). Undefined
   * when the scenario has no restart; `Infinity` when no operation ever succeeded again.
   */
  recoveryMs: number | undefined;
  /** Writes the store acknowledged. */
  acknowledgedWrites: number;
  /** Acknowledged writes that had to be in the backend afterwards, and were checked. */
  checkedWrites: number;
  /** Acknowledged writes that had to be in the backend but are not. */
  falseSuccesses: number;
  /** A few of them, for the report. */
  falseSuccessKeys: string[];
  /** Checks that could not be made (the read-back itself failed); these prove nothing. */
  unverifiedWrites: number;
  /**
   * Writes acknowledged before the fault that a backend restarted empty lost: expected, not a
   * false success, shown for information.
   */
  lostWithBackend: number;
  /** Operations still unanswered when the backend was killed: the ones really in flight. */
  inFlightAtFault: number | undefined;
  /** For the scenarios with compare-and-set writers: their books and broken rules. */
  compareAndSet?: CasFigures;
  /** The pass criteria this result violates, once judged (see `judgeOutage`); empty = pass. */
  violations?: string[];
}
