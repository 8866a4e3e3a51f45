/** What an Express app does with a session that failed: the status to answer, and dropping it. */
import type { IncomingMessage } from 'node:http';
import { isSessionError } from '@sessions/core';
import type { Session, Store } from 'express-session';

/**
 * A request as express-session leaves it (Express's `Request` is one).
 *
 * @example
 * ```ts
 * function userOf(req: SessionRequest) {
 *   return (req.session as { userId?: string } | undefined)?.userId;
 * }
 * ```
 */
export interface SessionRequest extends IncomingMessage {
  /** The session; absent when there is none (destroyed, dropped, never started). */
  session?: Session;
  /** The session's ID. */
  sessionID?: string;
  /** The store express-session uses. */
  sessionStore?: Store;
}

/**
 * The HTTP status for an error a session raised: `409` for `CONFLICT` (another request
 * changed or ended the session first; nothing was written), `503` for `UNAVAILABLE` and
 * `CLOSED` (the store cannot be reached), `500` for the rest (`TOO_LARGE`, `SERIALIZE`,
 * `CORRUPT`...). Any other error keeps its own `status` or `statusCode` when it is a 4xx or
 * 5xx (as Express's final handler reads it), else `500`.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (res.headersSent) return next(err);
 *   res.status(errorStatus(err)).json({ error: err.code ?? 'ERROR' });
 * });
 * ```
 */
export function errorStatus(err: unknown): number {
  if (isSessionError(err, 'CONFLICT')) return 409;
  if (isSessionError(err, 'UNAVAILABLE') || isSessionError(err, 'CLOSED')) return 503;
  if (isSessionError(err)) return 500;
  if (err === null || typeof err !== 'object') return 500;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  for (const candidate of [status, statusCode]) {
    if (
      Number.isInteger(candidate) &&
      (candidate as number) >= 400 &&
      (candidate as number) < 600
    ) {
      return candidate as number;
    }
  }
  return 500;
}

/**
 * Forget the request's session, so that express-session neither sends its cookie nor saves,
 * touches or destroys it at the end of the request. Call it before `next(err)` when a session
 * could not be stored (a failed `regenerate` or save): the answer is then an error without a
 * `Set-Cookie` for a session that does not exist, the browser keeps the cookie it had, and
 * nothing is written after the response.
 *
 * @example
 * ```ts
 * req.session.regenerate((err) => {
 *   if (err) {
 *     dropSession(req);
 *     return next(err);
 *   }
 *   // ...
 * });
 * ```
 */
export function dropSession(req: SessionRequest): void {
  const held = req as { session?: unknown; sessionID?: unknown };
  delete held.session;
  // Without an ID, express-session's `unset: 'destroy'` does not delete the stored session
  // either: a save that lost to another request must not take that request's session down.
  delete held.sessionID;
}
