/**
 * `sessionMiddleware`: sessions for Hono (and any Web-standard Request/Response app) over the
 * session manager of `@sessions/core`, saved before the response is sent.
 */
import { isSessionError, type SessionData } from '@sessions/core';
import type { Context, MiddlewareHandler } from 'hono';
import {
  isUnavailable,
  resolveMiddlewareOptions,
  type SessionMiddlewareOptions,
} from './options.js';
import { RequestSession } from './request-session.js';
import type { SessionEnv } from './types.js';

/**
 * Session middleware. Puts a lazy {@link SessionAccessor} on the context (`c.var.session`),
 * reads the token from the session cookie, starts a session only when a handler writes to it,
 * and saves it **before** the response leaves: if the store cannot take the write, the client
 * gets an error (503, or 409 on a conflict), never a success with a cookie for a session that
 * was not stored. A session another request ended is never brought back; its cookie is cleared.
 *
 * @typeParam D - the session data type.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { login, sessionMiddleware, type SessionEnv } from '@sessions/hono';
 * import { SqliteStore } from '@sessions/sqlite';
 *
 * type Cart = { items: string[] };
 * const app = new Hono<SessionEnv<Cart>>();
 * app.use(sessionMiddleware<Cart>({
 *   store: new SqliteStore({ database: 'sessions.db' }),
 *   initialData: () => ({ items: [] }),
 * }));
 * app.post('/cart/:sku', async (c) => {
 *   const session = await c.var.session.get();
 *   session.data.items.push(c.req.param('sku'));
 *   return c.json(session.data);
 * });
 * app.post('/login', async (c) => {
 *   await login(c, 'ada'); // after checking the password
 *   return c.redirect('/');
 * });
 * ```
 */
export function sessionMiddleware<D = SessionData>(
  options: SessionMiddlewareOptions<D>,
): MiddlewareHandler<SessionEnv<D>> {
  const resolved = resolveMiddlewareOptions(options);
  return async (c, next) => {
    // The raw value, so that a malformed cookie is told from a missing one (the manager refuses
    // anything that is not a token before any I/O).
    const session = new RequestSession<D>(
      resolved,
      c,
      resolved.manager.readCookie(c.req.header('cookie')),
    );
    c.set('session', session);
    await next();

    // A handler that threw keeps its changes out of the store; Hono already turned the error
    // into c.res. What was committed before the throw (a login, a logout) still gets its cookie.
    const failed = c.error;
    let outcome: Awaited<ReturnType<typeof session.commit>>;
    try {
      outcome = await session.commit(failed === undefined);
    } catch (err) {
      if (isSessionError(err, 'CONFLICT')) {
        return respondInstead(c, () => resolved.onConflict(c, err), undefined);
      }
      if (isUnavailable(err)) {
        return respondInstead(c, () => resolved.onUnavailable(c, err), undefined);
      }
      // Left to the app's onError; drop the handler's response so none of it (headers included)
      // is merged into the error response.
      discardResponse(c);
      throw err;
    }
    const lost = outcome.lost;
    if (lost) {
      return respondInstead(c, () => resolved.onConflict(c, lost), outcome.cookie);
    }
    if (isSessionError(failed, 'CONFLICT')) {
      return respondInstead(c, () => resolved.onConflict(c, failed), outcome.cookie);
    }
    if (isUnavailable(failed)) {
      return respondInstead(c, () => resolved.onUnavailable(c, failed), outcome.cookie);
    }
    if (outcome.cookie !== undefined) c.header('set-cookie', outcome.cookie, { append: true });
  };
}

/**
 * Replace the handler's response with the one `respond` builds (after the handler's is gone,
 * so `c.text()` in it starts clean), carrying no `Set-Cookie` but `cookie` (the clearing
 * cookie of a session known to have ended).
 */
async function respondInstead(
  c: Context,
  respond: () => Response | Promise<Response>,
  cookie: string | undefined,
): Promise<void> {
  discardResponse(c);
  const response = await respond();
  // Copied (a Response's headers may be immutable: Response.redirect, a fetch result); Hono
  // merges in what `respond` set with c.header(), and then the cookies go.
  c.res = new Response(response.body, response);
  c.res.headers.delete('set-cookie');
  if (cookie !== undefined) c.res.headers.append('set-cookie', cookie);
}

/**
 * Replace the handler's response with a blank one: assigning `c.res` merges the old response's
 * headers (its cookies included) into the new one, so the old one must go first. Headers the
 * handler prepared with c.header() go with it.
 */
function discardResponse(c: Context): void {
  if (c.finalized) {
    // The body will never be read: release it. A stream that refuses to cancel is already
    // being read by someone else, which is not ours to report.
    c.res.body?.cancel().catch(() => undefined);
  }
  c.res = undefined;
  c.res = new Response(null);
}
