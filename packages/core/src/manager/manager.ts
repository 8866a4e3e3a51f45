/**
 * `createSessionManager`: the HTTP-session concept once, for every store and framework. The
 * server mints the token, the cookie carries it, the store keeps a record under its digest,
 * and every write is a compare-and-set.
 */
import type { SessionData } from '../types.js';
import { createContext } from './context.js';
import {
  readRawSessionCookie,
  readSessionToken,
  serializeClearingCookie,
  serializeSessionCookie,
} from './cookies.js';
import type { SessionEventType, SessionListener } from './events.js';
import { loadOrMiss, loadSession } from './load.js';
import { resolveManagerOptions, type SessionManagerOptions } from './options.js';
import type {
  CreateSessionInput,
  DestroyAllOptions,
  ListForUserOptions,
  LoadResult,
  RegenerateOptions,
  SaveResult,
  SessionDescription,
  UpdateFn,
  UpdateResult,
} from './results.js';
import type { Session } from './session.js';
import { createSession, destroySession, regenerateSession, saveSession } from './session-ops.js';
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
   * {@link load}, with why a miss is a miss: `no-cookie` (`token` undefined), `malformed`,
   * `not-found`, `expired-idle`, `expired-absolute`, `revoked` or `rotated`. A hit costs the
   * same one `get` as `load`; a miss with a well-formed token costs one more (its tombstone,
   * unless `missReasons: false`). When the store fails it throws as `load` does (a `miss` event
   * says `store-unavailable`). Pass {@link readCookie}'s raw value to tell `malformed` from
   * `no-cookie`. See docs/why-logged-out.md.
   */
  loadWithReason(token: string | undefined): Promise<LoadResult<D>>;
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
   * change, then send the new cookie). `undefined` if the session no longer exists, or if a
   * "log out everywhere" of its owner ran meanwhile; then no session was left behind.
   */
  regenerate(session: Session<D>, options?: RegenerateOptions): Promise<Session<D> | undefined>;
  /** End a session (logout): removed at the backend; true if a live one was removed. */
  destroy(session: Session<D> | string): Promise<boolean>;
  /** The live sessions of a user for an "active sessions" page, newest first; no tokens. */
  listForUser(userId: string, options?: ListForUserOptions<D>): Promise<SessionDescription[]>;
  /** End one of `userId`'s sessions by its handle; false if the handle is not one of theirs. */
  revoke(userId: string, handle: string): Promise<boolean>;
  /**
   * "Log out everywhere": end all of a user's sessions but `except`; resolves to how many.
   * Atomic against a concurrent `regenerate` or login of that user: it first writes a per-user
   * revocation mark to the store (one `get` and one `set`), which `regenerate` reads; `load` and
   * `save` never do. See docs/security.md.
   */
  destroyAllForUser(userId: string, options?: DestroyAllOptions<D>): Promise<number>;
  /** The `Set-Cookie` value for a session (send it when the session is new or regenerated). */
  serializeCookie(session: Session<D>): string;
  /** The `Set-Cookie` value that removes the session cookie (after destroy or a `'destroyed'`). */
  clearCookie(): string;
  /** The token in a `Cookie` request header, or `undefined`; anything malformed is a miss. */
  readToken(cookieHeader: string | null | undefined): string | undefined;
  /**
   * The session cookie's raw, unchecked value in a `Cookie` request header, or `undefined`:
   * for {@link loadWithReason}, which tells a malformed cookie from a missing one.
   */
  readCookie(cookieHeader: string | null | undefined): string | undefined;
  /**
   * Listen to a lifecycle event; returns the function that stops listening. Listeners run
   * synchronously in the request: keep them cheap. One that throws (or rejects) is reported
   * through `onListenerError`, never to the request. No listener, no cost.
   *
   * @example
   * ```ts
   * manager.on('destroyed', ({ handle, userId }) => audit.info({ event: 'logout', handle, userId }));
   * ```
   */
  on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void;
  /** Stop a listener added with {@link on}. */
  off<K extends SessionEventType>(type: K, listener: SessionListener<K>): void;
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
    loadWithReason: async (token) => {
      const found = await loadOrMiss<D>(ctx, token, true);
      return typeof found === 'string' ? { reason: found } : { session: found };
    },
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
    readCookie: (cookieHeader) => readRawSessionCookie(cookie, cookieHeader),
    on: (type, listener) => ctx.events.on(type, listener),
    off: (type, listener) => ctx.events.off(type, listener),
  };
}
