/**
 * Why a request has no session, on the request itself: `req.sessionMiss`, set by
 * {@link ExpressSessionStore} when express-session starts a new session for the request.
 */
import type { MissReason } from '@sessions/core';
import type { Request } from 'express';

declare global {
  namespace Express {
    interface Request {
      /**
       * Why this request came without a live session (`no-cookie`, `malformed`, `not-found`,
       * `expired-idle`, `revoked`, `rotated`), set by `ExpressSessionStore` when
       * express-session started a new one; `undefined` when the request's cookie found its
       * session. For logs and metrics only: never send it to the client.
       */
      sessionMiss?: MissReason;
    }
  }
}

/**
 * Why `req` came without a live session, or `undefined` when its cookie found one. A store
 * failure is no miss reason here: the request fails with the store's `UNAVAILABLE` error (a
 * `miss` event says `store-unavailable`), so nobody becomes anonymous because a server was down.
 *
 * @example
 * ```ts
 * app.use((req, _res, next) => {
 *   const reason = missReason(req);
 *   if (reason !== undefined) log.info({ reason }, 'session miss');
 *   next();
 * });
 * ```
 */
export function missReason(req: Request): MissReason | undefined {
  return req.sessionMiss;
}

/** Whether the request's `Cookie` header carries a cookie named `name` (any value). */
export function hasCookie(header: string | undefined, name: string): boolean {
  if (!header) return false;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return true;
  }
  return false;
}
