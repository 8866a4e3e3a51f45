/**
 * `@sessions/hono`: session middleware for Hono and Web-standard Request/Response, over the
 * session manager of `@sessions/core` and any `@sessions` store.
 *
 * @packageDocumentation
 */
export {
  activeSessions,
  type LoginOptions,
  type LogoutEverywhereOptions,
  login,
  logout,
  logoutEverywhere,
  missReason,
  regenerate,
  revokeSession,
} from './helpers.js';
export { sessionMiddleware } from './middleware.js';
export {
  type ErrorResponder,
  MAX_USER_AGENT_LENGTH,
  type SessionBehaviourOptions,
  type SessionMiddlewareOptions,
  userAgentMeta,
} from './options.js';
export type {
  SessionAccessor,
  SessionCarrier,
  SessionCarrierVariables,
  SessionEnv,
  SessionVariables,
} from './types.js';
