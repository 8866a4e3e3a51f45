/**
 * A store for `@fastify/session` over any `@sessions` store: @fastify/session's store
 * protocol on top of the adapter kit, which does the rest.
 */
import { CorruptError, type MissReason, type SessionData } from '@sessions/core';
import { type NodeCallback, SessionBridge, settle } from '@sessions/core/adapter';
import type { FastifyRequest } from 'fastify';
import type { FastifyStoreOptions } from './options.js';
import { shadowedMember } from './session-members.js';

const SOURCE = '@sessions/fastify';

/** @fastify/session's cookie name when its `cookieName` option is not given. */
const DEFAULT_COOKIE_NAME = 'sessionId';

/**
 * The request a @fastify/session `Session` belongs to: it keeps it under a symbol described
 * `request` (@fastify/session 11). A regenerate is told apart by it (see `set`).
 */
function requestOf(session: object): { session?: unknown } | undefined {
  const symbol = Object.getOwnPropertySymbols(session).find((s) => s.description === 'request');
  const request = symbol === undefined ? undefined : (session as Record<symbol, unknown>)[symbol];
  return request !== null && typeof request === 'object' ? request : undefined;
}

/**
 * @fastify/session's callback types name its `Session` interface, which users augment.
 */
// biome-ignore lint/suspicious/noExplicitAny: the session type is the user's augmented interface
type SessionCallback = (err: unknown, session?: any) => void;

/**
 * Marks the cookie of a session `get` returned with the object `get` returned.
 *
 * @fastify/session rebuilds each request's Session from what `get` returned: it copies the
 * enumerable fields (so a version field would become session data, copied by
 * `regenerate(Object.keys(session))` and changing the session's hash), and it keeps a spread
 * copy of the returned cookie as the Session's cookie options, symbols included. A symbol
 * there is how `set` finds what a Session was loaded from, with nothing visible to the app.
 * (The scenarios "a slow request that finishes after logout" and "[17.7]" fail if a
 * @fastify/session release stops keeping that copy: saves would quietly become upserts.)
 */
const RESTORED_FROM = Symbol('sessions.restoredFrom');

/** The object `get` returned that `session` was rebuilt from, if it was. */
function restoredFrom(session: object): object | undefined {
  const fields = session as Record<symbol, unknown>;
  for (const name of Object.getOwnPropertySymbols(session)) {
    const value = fields[name];
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, RESTORED_FROM)) {
      return (value as Record<symbol, object>)[RESTORED_FROM];
    }
  }
  return undefined;
}

/**
 * A `@fastify/session` store backed by any `@sessions` store.
 *
 * - Saves of a session this process loaded are a compare-and-set against the version loaded:
 *   a session another request destroyed is never brought back, and one another request
 *   changed is never silently overwritten. The save fails with a `ConflictError`
 *   (`code: 'CONFLICT'`), which @fastify/session reports before the response is sent. Saves
 *   of any other session (a new or regenerated one) are upserts.
 * - The version travels out of sight: nothing is added to the session's fields, so
 *   `regenerate(Object.keys(session))` copies no version and a just-regenerated session is
 *   not "modified" (one write, as upstream).
 * - `cookie.expires` maps exactly (to the ms) to the record's `expiresAt`; a session without
 *   cookie expiry gets `defaultTtl` (24 h).
 * - A stored record @fastify/session could not rebuild or use (tampered data: a cookie its
 *   Cookie class would throw on, a field named like one of its Session's methods) is an error
 *   for that request (`CORRUPT`), never a crash; callbacks never run inside a promise chain.
 * - Session IDs are stored hashed (SHA-256) by default.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import fastifyCookie from '@fastify/cookie';
 * import fastifySession from '@fastify/session';
 * import { FastifySessionStore } from '@sessions/fastify';
 * import { SqliteStore } from '@sessions/sqlite';
 *
 * const app = Fastify();
 * app.register(fastifyCookie);
 * app.register(fastifySession, {
 *   secret: process.env.SESSION_SECRET!, // at least 32 characters
 *   store: new FastifySessionStore({ store: new SqliteStore({ database: 'sessions.db' }) }),
 *   cookie: { maxAge: 30 * 60_000, secure: true, httpOnly: true, sameSite: 'lax' },
 *   saveUninitialized: false,
 * });
 * ```
 */
export class FastifySessionStore {
  /** The wrapped `@sessions` store. */
  readonly store: FastifyStoreOptions['store'];
  readonly #bridge: SessionBridge<Record<string, unknown>>;
  readonly #cookieName: string;
  /**
   * The miss whose `get` callback is running. @fastify/session builds the new session and runs
   * the next `onRequest` hook (the {@link sessionMissReasons} plugin's) synchronously inside
   * that callback: this is how the reason reaches the request.
   */
  #missing: MissReason | undefined;
  /**
   * The delete whose `destroy` callback is running: @fastify/session's `regenerate` stores the
   * new session synchronously inside it, which is how `set` knows it saves a successor.
   */
  #destroyed: { sessionId: string; removed: boolean } | undefined;

  constructor(options: FastifyStoreOptions) {
    this.#bridge = new SessionBridge(options, SOURCE);
    this.store = this.#bridge.store;
    this.#cookieName = this.#bridge.cookieName ?? DEFAULT_COOKIE_NAME;
  }

  /**
   * End every session of `userId` ("log out everywhere"), but the one `options.except` names
   * (a session ID, e.g. `request.session.sessionId` for "log out everywhere else"); resolves to
   * how many ended. Atomic against a login or regenerate of that user racing it: the session
   * such a request creates is not kept (its save fails with `CONFLICT`). Their IDs read
   * `revoked`.
   *
   * @example
   * ```ts
   * app.post('/logout-everywhere', async (request) => ({
   *   ended: await sessionStore.destroyAllForUser(request.session.userId, {
   *     except: request.session.sessionId,
   *   }),
   * }));
   * ```
   */
  destroyAllForUser(userId: string, options: { except?: string } = {}): Promise<number> {
    return this.#bridge.destroyAllForUser(userId, options);
  }

  /**
   * Why `request` has no live session, or `undefined` when its cookie found one: what the
   * {@link sessionMissReasons} plugin sets as `request.sessionMiss`. Meaningful only in the
   * `onRequest` hook right after @fastify/session's.
   */
  missOf(request: FastifyRequest): MissReason | undefined {
    const session = (request as { session?: unknown }).session;
    // No Session (a path outside the cookie's, or the plugin failed): nothing to say.
    if (session === null || typeof session !== 'object' || !('sessionId' in session)) {
      return undefined;
    }
    if (restoredFrom(session) !== undefined) return undefined;
    if (this.#missing !== undefined) return this.#missing;
    // A new session without a store read: no cookie, or one whose signature was refused.
    const cookies = (request as { cookies?: Record<string, unknown> }).cookies;
    const sent = cookies?.[this.#cookieName] !== undefined;
    return this.#bridge.reportMiss(sent ? 'malformed' : 'no-cookie');
  }

  /** The store key for a session ID: its SHA-256 (or the ID itself with `hashIds: false`). */
  keyOf(sessionId: string): string {
    return this.#bridge.keyOf(sessionId);
  }

  /** @fastify/session's `get`: the stored session, or `null`. */
  get(sessionId: string, callback: SessionCallback): void {
    settle(this.#load(sessionId), (err, found) => {
      if (err !== null) return callback(err);
      if (typeof found !== 'string') return callback(null, found);
      this.#missing = found;
      try {
        callback(null, null);
      } finally {
        this.#missing = undefined;
      }
    });
  }

  /**
   * @fastify/session's `set`: compare-and-set if loaded here under this ID, else an upsert. The
   * new session of a regenerate (stored right after the old one's `destroy`) is tied to the
   * old one: see `SessionBridge.succeeded`.
   */
  set(sessionId: string, session: object, callback: NodeCallback): void {
    const from = restoredFrom(session);
    if (from) this.#bridge.loaded.adopt(from, session);
    const destroyed = this.#destroyed;
    // A regenerate's new session carries the old one's cookie options, mark included: it is
    // told apart by the delete just before, of another ID, on the same request.
    const predecessor =
      destroyed === undefined || destroyed.sessionId === sessionId
        ? undefined
        : requestOf(session)?.session;
    if (
      destroyed === undefined ||
      predecessor === session ||
      predecessor === null ||
      typeof predecessor !== 'object'
    ) {
      settle(this.#bridge.save(sessionId, session as Record<string, unknown>), callback);
      return;
    }
    const saved = this.#bridge
      .succeeded(
        destroyed.sessionId,
        restoredFrom(predecessor) ?? predecessor,
        session,
        destroyed.removed,
      )
      .then(() => this.#bridge.save(sessionId, session as Record<string, unknown>));
    settle(saved, callback);
  }

  /** @fastify/session's `destroy`; a missing session is no error. */
  destroy(sessionId: string, callback: NodeCallback): void {
    settle(this.#bridge.remove(sessionId), (err, removed) => {
      if (err !== null) return callback(err);
      this.#destroyed = { sessionId, removed: removed === true };
      try {
        callback(null);
      } finally {
        this.#destroyed = undefined;
      }
    });
  }

  #load(sessionId: string): Promise<SessionData | MissReason> {
    return this.#bridge
      .loadOrMiss(sessionId)
      .then((found) => (typeof found === 'string' ? found : restorable(found)));
  }
}

/**
 * What @fastify/session rebuilds its Session from: the loaded session, refused when a field
 * would shadow a Session member, its cookie marked with where it came from.
 */
function restorable(session: SessionData): SessionData {
  const shadowed = shadowedMember(session);
  if (shadowed !== undefined) {
    throw new CorruptError(SOURCE, `the stored session's field "${shadowed}" is a Session method`);
  }
  // The loaded cookie is this request's own (the bridge restores a fresh copy of the record
  // on every read): marked in place. A session without one gets a cookie holding the mark only.
  const cookie = session.cookie;
  if (cookie !== null && typeof cookie === 'object') {
    (cookie as Record<symbol, unknown>)[RESTORED_FROM] = session;
  } else {
    session.cookie = { ...(cookie as object | undefined), [RESTORED_FROM]: session };
  }
  return session;
}
