/**
 * The session manager: tokens, cookies, timeouts, rotation and "log out everywhere" on top of
 * any session store. See packages/core/MANAGER.md and docs/security.md.
 */
export type { SessionCookieOptions } from './cookies.js';
export type {
  ConflictEvent,
  ListenerErrorHandler,
  MissEvent,
  RevokedEvent,
  RotatedEvent,
  SessionEvent,
  SessionEventMap,
  SessionEventType,
  SessionListener,
  SessionListeners,
  SessionRef,
  StoreErrorEvent,
  StoreOperation,
  TypedEvent,
} from './events.js';
export { createSessionManager, type SessionManager } from './manager.js';
export type { MissReason } from './miss-reasons.js';
export {
  DEFAULT_ABSOLUTE_TIMEOUT,
  DEFAULT_IDLE_TIMEOUT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_ROTATION_GRACE,
  DEFAULT_TOUCH_AFTER,
  type SessionManagerOptions,
} from './options.js';
export type {
  CreateSessionInput,
  DestroyAllOptions,
  ListForUserOptions,
  LoadHit,
  LoadMiss,
  LoadResult,
  RegenerateOptions,
  SaveResult,
  SessionDescription,
  UpdateFn,
  UpdateResult,
} from './results.js';
export type { Session, SessionEnvelope, SessionMeta } from './session.js';
export { generateSessionToken, hashSessionToken, isSessionToken } from './tokens.js';
