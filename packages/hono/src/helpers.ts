/**
 * Login, privilege change, logout and the "active sessions" operations, as functions of the
 * Hono context. Each one settles the store first; the middleware then sends the matching cookie.
 */
import type { MissReason, Session, SessionData, SessionDescription } from '@sessions/core';
import { SOURCE } from './options.js';
import { type LoginOptions, RequestSession } from './request-session.js';
import type { SessionCarrier } from './types.js';

export type { LoginOptions } from './request-session.js';

/** Options of {@link logoutEverywhere}. */
export interface LogoutEverywhereOptions {
  /** Keep the session making the request: "log out everywhere else" (default false). */
  keepCurrent?: boolean;
}

function requestSession<D>(c: SessionCarrier<D>): RequestSession<D> {
  const session = c.var.session;
  if (!(session instanceof RequestSession)) {
    throw new TypeError(`[${SOURCE}] no session on this context: is sessionMiddleware installed?`);
  }
  return session as RequestSession<D>;
}

/**
 * Log `userId` in (call it after checking their credentials): the session moves to a new token
 * with the same data (the old token is dead, so a planted one is worthless) and is stored before
 * the handler goes on; the response carries the new cookie. Starts a session if there was none.
 *
 * @example
 * ```ts
 * app.post('/login', async (c) => {
 *   const { user } = await c.req.parseBody();
 *   await login(c, String(user));
 *   return c.redirect('/');
 * });
 * ```
 */
export function login<D = SessionData>(
  c: SessionCarrier<D>,
  userId: string,
  options?: LoginOptions,
): Promise<Session<D>> {
  return requestSession(c).login(userId, options);
}

/**
 * Rotate the session's token on a privilege change (sudo mode, a role granted, a second factor
 * passed): the session, unsaved changes included, moves to a new token that is stored before
 * the handler goes on, the old token is dead, the response carries the new cookie, and the
 * absolute deadline stays where it was (a privilege change never extends a session's life; a
 * login, which does, is {@link login}). Resolves to the new session, or `undefined` when there
 * is none to rotate: an anonymous visitor, or a session another request ended meanwhile (then
 * the request goes on anonymous). Work on the returned session from here on: the old object is
 * spent, and changes to it are not saved. `c.var.session.manager.regenerate(session)` on the
 * request's own session does the same.
 *
 * @example
 * ```ts
 * app.post('/sudo', async (c) => {
 *   // after checking the password again
 *   const session = await regenerate(c);
 *   if (session === undefined) return c.redirect('/login');
 *   session.data.sudoUntil = Date.now() + 5 * 60_000;
 *   return c.redirect('/admin');
 * });
 * ```
 */
export function regenerate<D = SessionData>(c: SessionCarrier<D>): Promise<Session<D> | undefined> {
  return requestSession(c).regenerate({ restartLifetime: false });
}

/**
 * Log out: the session is deleted at the store and the response clears the cookie. Resolves
 * to true if a stored session was removed.
 *
 * @example
 * ```ts
 * app.post('/logout', async (c) => (await logout(c), c.redirect('/')));
 * ```
 */
export function logout<D = SessionData>(c: SessionCarrier<D>): Promise<boolean> {
  return requestSession(c).logout();
}

/**
 * "Log out everywhere": end every session of the logged-in user, or every other one with
 * `keepCurrent`. Other devices find themselves logged out on their next request. Resolves to
 * how many sessions ended; 0 for an anonymous visitor.
 *
 * @example
 * ```ts
 * await logoutEverywhere(c, { keepCurrent: true }); // after a password change
 * ```
 */
export function logoutEverywhere<D = SessionData>(
  c: SessionCarrier<D>,
  options: LogoutEverywhereOptions = {},
): Promise<number> {
  return requestSession(c).logoutEverywhere(options.keepCurrent ?? false);
}

/**
 * The logged-in user's live sessions for an "active sessions" page, most recently used first,
 * the one making the request flagged `current`. No tokens: each has a `handle` for
 * {@link revokeSession}. Empty for an anonymous visitor.
 *
 * @example
 * ```ts
 * const devices = await activeSessions(c);
 * // [{ handle, createdAt, lastSeenAt, expiresAt, meta: { userAgent }, current: true }, ...]
 * ```
 */
export function activeSessions<D = SessionData>(
  c: SessionCarrier<D>,
): Promise<SessionDescription[]> {
  return requestSession(c).activeSessions();
}

/**
 * End one of the logged-in user's sessions ("sign out this device") by its handle from
 * {@link activeSessions}. False if the handle is not one of theirs. Revoking the current
 * session logs this request out.
 *
 * @example
 * ```ts
 * await revokeSession(c, String((await c.req.parseBody()).handle));
 * ```
 */
export function revokeSession<D = SessionData>(
  c: SessionCarrier<D>,
  handle: string,
): Promise<boolean> {
  return requestSession(c).revoke(handle);
}

/**
 * Why this request has no session: `no-cookie`, `malformed`, `not-found`, `expired-idle`,
 * `expired-absolute`, `revoked`, `rotated` (or `store-unavailable`, recorded as the request
 * fails with a 503). `undefined` when the request has a session. Loads the session first if no
 * one asked for it yet (a request without a session cookie costs no store call; a well-formed
 * cookie that finds nothing costs one more `get`). Also on `c.var.sessionMiss` once loaded.
 *
 * For logs, metrics and the user's own diagnostics page. Never make a response depend on it:
 * the same answer for every reason is what keeps reasons from telling a token guesser which
 * tokens once existed. See docs/why-logged-out.md.
 *
 * @example
 * ```ts
 * app.get('/account', async (c) => {
 *   const session = await c.var.session.load();
 *   if (session === undefined) {
 *     log.info({ reason: await missReason(c) }, 'session miss'); // the log, not the response
 *     return c.redirect('/login');
 *   }
 *   return c.json({ user: session.userId });
 * });
 * ```
 */
export async function missReason<D = SessionData>(
  c: SessionCarrier<D>,
): Promise<MissReason | undefined> {
  await requestSession(c).load();
  return c.var.sessionMiss;
}
