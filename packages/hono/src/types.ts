/**
 * What handlers see: the session accessor on the Hono context, and the `Env` type that makes
 * `c.get('session')` / `c.var.session` typed.
 */
import type { MissReason, Session, SessionData, SessionManager } from '@sessions/core';

/**
 * The request's session, loaded lazily: a request that never asks costs no store read, and a
 * visitor whose session is never written costs no store write and gets no cookie.
 *
 * @typeParam D - the session data type.
 *
 * @example
 * ```ts
 * app.post('/cart', async (c) => {
 *   const session = await c.var.session.get(); // loaded, or started for this visitor
 *   session.data.cart.push('tea'); // saved before the response leaves, cookie set if new
 *   return c.redirect('/');
 * });
 * ```
 */
export interface SessionAccessor<D = SessionData> {
  /**
   * The visitor's session, starting a new one when there is none. A new session is stored
   * (and its cookie sent) only if the handler changes it, so read-only visitors write nothing.
   */
  get(): Promise<Session<D>>;
  /**
   * The visitor's session, or `undefined` for an anonymous visitor (no cookie, or one whose
   * session ended). Never starts a session.
   */
  load(): Promise<Session<D> | undefined>;
  /** The session manager behind the middleware (for `update`, admin views...). */
  readonly manager: SessionManager<D>;
}

/**
 * The context variables the middleware sets.
 *
 * @typeParam D - the session data type.
 */
export interface SessionVariables<D = SessionData> {
  /** The request's session: `c.get('session')` or `c.var.session`. */
  session: SessionAccessor<D>;
  /**
   * Why the request has no session, once it was loaded and found none (see `missReason(c)`,
   * which loads it first). `undefined` for a hit, or before the session was asked for. For
   * logs, metrics and the user's own diagnostics: the response never depends on it.
   */
  sessionMiss?: MissReason;
}

/**
 * The Hono `Env` of an app (or route) behind {@link sessionMiddleware}.
 *
 * @typeParam D - the session data type.
 *
 * @example
 * ```ts
 * const app = new Hono<SessionEnv<{ cart: string[] }>>();
 * // or, app-wide: declare module 'hono' { interface ContextVariableMap extends SessionVariables<Cart> {} }
 * ```
 */
export interface SessionEnv<D = SessionData> {
  /** The context variables: `c.var.session` and `c.var.sessionMiss`. */
  Variables: SessionVariables<D>;
}

/** What {@link SessionCarrier} needs on `c.var`. */
export interface SessionCarrierVariables<D = SessionData> {
  /** The request's session. */
  readonly session: SessionAccessor<D>;
  /** Why the request has no session, once loaded (see {@link SessionVariables.sessionMiss}). */
  readonly sessionMiss?: MissReason;
}

/**
 * Anything that carries the session accessor: a Hono `Context` of an app typed with
 * {@link SessionEnv} (or with `ContextVariableMap` augmented), which the helper functions take.
 */
export interface SessionCarrier<D = SessionData> {
  /** The context variables (Hono's `c.var`). */
  readonly var: SessionCarrierVariables<D>;
}
