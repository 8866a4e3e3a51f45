/**
 * Options of {@link sessionMiddleware}, their defaults, and the default error responses.
 */
import {
  type ConflictError,
  createSessionManager,
  isSessionError,
  type SessionData,
  type SessionError,
  type SessionManager,
  type SessionManagerOptions,
  type SessionMeta,
} from '@sessions/core';
import type { Context } from 'hono';

/** The package name in every error this middleware raises. */
export const SOURCE = '@sessions/hono';

/** The longest user agent kept in a session's metadata; the rest is cut off. */
export const MAX_USER_AGENT_LENGTH = 256;

/** Builds the response that replaces the handler's when a save could not be made. */
export type ErrorResponder<E> = (c: Context, error: E) => Response | Promise<Response>;

/** What {@link sessionMiddleware} takes besides the manager (or its options). */
export interface SessionBehaviourOptions<D = SessionData> {
  /**
   * The data of a session started for a visitor who had none (default `{}`). Called once per
   * started session, so it may return a fresh mutable object.
   */
  initialData?: () => D;
  /**
   * Client metadata stored with a session when it starts and at login, for an "active
   * sessions" page. Default: `{ userAgent }` (cut to 256 characters) when the request has one.
   * Never used for security decisions.
   */
  meta?: (c: Context) => SessionMeta | undefined;
  /**
   * The response when a session could not be saved because another request got there first:
   * it changed the session (`ConflictError`), or ended it (logout, revoke) while this request
   * was changing it. Nothing was written. Default: `409 Conflict`, plain text. Any `Set-Cookie`
   * on the returned response is dropped (a session that ended gets its clearing cookie).
   */
  onConflict?: ErrorResponder<ConflictError>;
  /**
   * The response when the store is down, timed out or closed (`UNAVAILABLE`, `CLOSED`), on load
   * or on save. Default: `503 Service Unavailable` with `Retry-After: 5`, plain text. Any
   * `Set-Cookie` on the returned response is dropped.
   */
  onUnavailable?: ErrorResponder<SessionError>;
}

/**
 * Options of {@link sessionMiddleware}: a ready session manager, or the options to make one
 * (`store`, timeouts, cookie...), plus the middleware's own {@link SessionBehaviourOptions}.
 *
 * @example
 * ```ts
 * sessionMiddleware<Cart>({ store: new SqliteStore({ database: 'sessions.db' }), initialData: () => ({ items: [] }) });
 * sessionMiddleware<Cart>({ manager, initialData: () => ({ items: [] }) });
 * ```
 */
export type SessionMiddlewareOptions<D = SessionData> = SessionBehaviourOptions<D> &
  (
    | {
        /** A ready session manager (its own store, timeouts, cookie and listeners). */
        manager: SessionManager<D>;
      }
    | SessionManagerOptions
  );

/** Options after defaults. Internal. */
export interface ResolvedMiddlewareOptions<D> {
  manager: SessionManager<D>;
  initialData: () => D;
  meta: (c: Context) => SessionMeta | undefined;
  onConflict: ErrorResponder<ConflictError>;
  onUnavailable: ErrorResponder<SessionError>;
}

/** Apply defaults; makes the manager from its options when none is given. */
export function resolveMiddlewareOptions<D>(
  options: SessionMiddlewareOptions<D>,
): ResolvedMiddlewareOptions<D> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[${SOURCE}] sessionMiddleware needs a manager or a store`);
  }
  const manager = 'manager' in options ? options.manager : createSessionManager<D>(options);
  return {
    manager,
    initialData: options.initialData ?? (() => ({}) as D),
    meta: options.meta ?? userAgentMeta,
    onConflict: options.onConflict ?? conflictResponse,
    onUnavailable: options.onUnavailable ?? unavailableResponse,
  };
}

/** The store is down, timed out, or was closed under the app. */
export function isUnavailable(err: unknown): err is SessionError {
  return isSessionError(err, 'UNAVAILABLE') || isSessionError(err, 'CLOSED');
}

/** The default metadata: the request's user agent, if any. */
export function userAgentMeta(c: Context): SessionMeta | undefined {
  const userAgent = c.req.header('user-agent');
  return userAgent ? { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) } : undefined;
}

function conflictResponse(): Response {
  return new Response('Conflict: another request changed or ended this session. Try again.', {
    status: 409,
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
  });
}

function unavailableResponse(): Response {
  return new Response('Service Unavailable: the session store cannot be reached.', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'retry-after': '5' },
  });
}
