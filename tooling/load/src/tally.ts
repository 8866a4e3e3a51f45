/** What the clients saw: requests, statuses, errors by kind, client-side latency. */
import { createHistogram } from 'node:perf_hooks';

/**
 * The kinds of error a client can see. `conflict` is a 409 on a session only one client uses
 * (a 409 on a deliberately shared one is counted apart, and allowed).
 */
export type ErrorKind =
  | 'status' // a response other than 2xx/3xx (and other than a contended 409)
  | 'transport' // a reset, refused or timed-out request
  | 'conflict'
  | 'no-cookie' // a login answered without a session cookie
  | 'lost-session' // a response served anonymously (or as someone else) to a logged-in client
  | 'lost-update' // the counter is not what this client's acknowledged updates make it
  | 'logout-ignored'; // still logged in after a logout answered

/**
 * Counters shared by every client of a run.
 *
 * @example
 * ```ts
 * const tally = new Tally();
 * tally.response(200, 3.2);
 * tally.error('lost-session', 'u1: anonymous');
 * ```
 */
export class Tally {
  requests = 0;
  /** Responses by status, and failed requests by error code (`ECONNRESET`, `TIMEOUT`). */
  readonly statuses: Record<string, number> = {};
  readonly errors: Partial<Record<ErrorKind, number>> = {};
  /** 409s on the deliberately shared sessions: expected, not errors. */
  contendedConflicts = 0;
  /** Requests sent again after their reused keep-alive socket was reset unanswered. */
  retriedResets = 0;
  /** A few examples of each error kind, for the report. */
  readonly examples: string[] = [];
  /** Client-side latency, microseconds. */
  readonly latency = createHistogram();

  /** A request's outcome: its status (or error code) and how long it took. */
  response(status: number | string, ms: number): void {
    this.requests++;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    this.latency.record(Math.max(1, Math.round(ms * 1000)));
  }

  /** An error of `kind`; `detail` kept for the first few. */
  error(kind: ErrorKind, detail: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    if (this.examples.length < 5) this.examples.push(`${kind}: ${detail}`);
  }

  /** Every error counted. */
  errorCount(): number {
    return Object.values(this.errors).reduce((sum, n) => sum + (n ?? 0), 0);
  }
}
