/**
 * The session manager: tokens, cookies, timeouts, rotation and "log out everywhere" on top of
 * any session store. See packages/core/MANAGER.md and docs/security.md.
 */
export type { SessionCookieOptions } from './cookies.js';
export { createSessionManager, type SessionManager } from './manager.js';
export {
  DEFAULT_ABSOLUTE_TIMEOUT,
  DEFAULT_IDLE_TIMEOUT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TOUCH_AFTER,
  type SessionManagerOptions,
} from './options.js';
export type {
  CreateSessionInput,
  DestroyAllOptions,
  ListForUserOptions,
  RegenerateOptions,
  SaveResult,
  SessionDescription,
  UpdateFn,
  UpdateResult,
} from './results.js';
export type { Session, SessionEnvelope, SessionMeta } from './session.js';
export { generateSessionToken, hashSessionToken, isSessionToken } from './tokens.js';
