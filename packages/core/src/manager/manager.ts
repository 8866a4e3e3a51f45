/**
 * `createSessionManager`: the HTTP-session concept once, for every store and framework. The
 * server mints the token, the cookie carries it, the store keeps a record under its digest,
 * and every write is a compare-and-set.
 */
import type { SessionData } from '../types.js';
import { createContext } from './context.js';
import { readSessionToken, serializeClearingCookie, serializeSessionCookie } from './cookies.js';
import { resolveManagerOptions, type SessionManagerOptions } from './options.js';
import type {
  CreateSessionInput,
  DestroyAllOptions,
  ListForUserOptions,
  RegenerateOptions,
  SaveResult,
  SessionDescription,
  UpdateFn,
  UpdateResult,
} from './results.js';
import type { Session } from './session.js';
import {
  createSession,
  destroySession,
  loadSession,
  regenerateSession,
  saveSession,
} from './session-ops.js';
import { absoluteDeadline } from './timeouts.js';
import { updateSession } from './update.js';
import { destroyUserSessions, listUserSessions, revokeUserSession } from './user-sessions.js';

/**
 * Sessions on top of any {@link SessionStore}. Made by {@link createSessionManager}.
 *
 * @typeParam D - the session data type.
 */
export interface SessionManager<D = SessionData> {
  /**
   * A new session under a freshly minted token. Nothing is stored until {@link save}, so
   * visitors who never get state cost no write.
   */
  create(input: CreateSessionInput<D>): Session<D>;
  /**
   * The live session for `token`, or `undefined` for a missing, malformed, unknown, expired or
   * destroyed token. Never adopts a token the server did not issue.
   */
  load(token: string | undefined): Promise<Session<D> | undefined>;
  /**
   * Store the session if it is new or changed, or if more than `touchAfter` passed since it was
   * last seen. Compare-and-set against the loaded version: see {@link SaveResult}. Throws
   * `ConflictError` when another request saved a newer version of a changed session.
   */
  save(session: Session<D>): Promise<SaveResult>;
  /**
   * Read-modify-write without lost updates: load, apply `fn`, save with compare-and-set, and on
   * a conflict reload and reapply (`maxRetries` times, then `ConflictError`).
   */
  update(token: string | undefined, fn: UpdateFn<D>): Promise<UpdateResult<D>>;
  /**
   * A new token for the same data, the old token dead (call it on login and on any privilege
   * change, then send the new cookie). `undefined` if the session no longer exists; then
   * nothing was created.
   */
  regenerate(session: Session<D>, options?: RegenerateOptions): Promise<Session<D> | undefined>;
  /** End a session (logout): removed at the backend; true if a live one was removed. */
  destroy(session: Session<D> | string): Promise<boolean>;
  /** The live sessions of a user for an "active sessions" page, newest first; no tokens. */
  listForUser(userId: string, options?: ListForUserOptions<D>): Promise<SessionDescription[]>;
  /** End one of `userId`'s sessions by its handle; false if the handle is not one of theirs. */
  revoke(userId: string, handle: string): Promise<boolean>;
  /** "Log out everywhere": end all of a user's sessions but `except`; resolves to how many. */
  destroyAllForUser(userId: string, options?: DestroyAllOptions<D>): Promise<number>;
  /** The `Set-Cookie` value for a session (send it when the session is new or regenerated). */
  serializeCookie(session: Session<D>): string;
  /** The `Set-Cookie` value that removes the session cookie (after destroy or a `'destroyed'`). */
  clearCookie(): string;
  /** The token in a `Cookie` request header, or `undefined`; anything malformed is a miss. */
  readToken(cookieHeader: string | null | undefined): string | undefined;
}

/**
 * Create a session manager over a store.
 *
 * @example
 * ```ts
 * import { createSessionManager, MemoryStore } from '@sessions/core';
 *
 * const clock = Date.now;
 * const sessions = createSessionManager<{ visits: number }>({ store: new MemoryStore({ clock }), clock });
 *
 * // In a request handler:
 * const session =
 *   (await sessions.load(sessions.readToken(req.headers.cookie))) ??
 *   sessions.create({ data: { visits: 0 } });
 * session.data.visits += 1;
 * const result = await sessions.save(session);
 * if (result.status === 'destroyed') res.setHeader('Set-Cookie', sessions.clearCookie());
 * else if (session.token !== sessions.readToken(req.headers.cookie)) {
 *   res.setHeader('Set-Cookie', sessions.serializeCookie(session));
 * }
 * ```
 */
export function createSessionManager<D = SessionData>(
  options: SessionManagerOptions,
): SessionManager<D> {
  const ctx = createContext(resolveManagerOptions(options));
  const { cookie, clock } = ctx.opts;
  return {
    create: (input) => createSession(ctx, input),
    load: (token) => loadSession<D>(ctx, token),
    save: (session) => saveSession(ctx, session),
    update: (token, fn) => updateSession(ctx, token, fn),
    regenerate: (session, regenerateOptions) => regenerateSession(ctx, session, regenerateOptions),
    destroy: (target) => destroySession(ctx, target),
    listForUser: (userId, listOptions) => listUserSessions(ctx, userId, listOptions),
    revoke: (userId, handle) => revokeUserSession(ctx, userId, handle),
    destroyAllForUser: (userId, destroyOptions) => destroyUserSessions(ctx, userId, destroyOptions),
    serializeCookie: (session) =>
      serializeSessionCookie(
        cookie,
        session.token,
        absoluteDeadline(ctx.opts, session.createdAt),
        clock(),
      ),
    clearCookie: () => serializeClearingCookie(cookie),
    readToken: (cookieHeader) => readSessionToken(cookie, cookieHeader),
  };
}
