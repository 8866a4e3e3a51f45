/**
 * A store for `@fastify/session` over any `@sessions` store, with compare-and-set on save so
 * that a session destroyed or changed by another request is never silently overwritten.
 */
import { createHash } from 'node:crypto';
import {
  isSessionError,
  type SessionData,
  type SessionRecord,
  type SessionStore,
} from '@sessions/core';
import type { FastifyStoreOptions } from './options.js';

type Callback = (err?: unknown) => void;
/** @fastify/session's own callback types name its `Session` interface, which users augment. */
// biome-ignore lint/suspicious/noExplicitAny: the session type is the user's augmented interface
type SessionCallback = (err: unknown, session?: any) => void;

/**
 * The session field that carries the loaded version from `get` to `set`. @fastify/session
 * rebuilds each request's Session by copying the fields `get` returned, so only an ordinary
 * field survives; it is never written into the stored data.
 */
export const VERSION_FIELD = '__sessionsVersion';
const DAY = 24 * 60 * 60 * 1000;

/**
 * A `@fastify/session` store backed by any `@sessions` store.
 *
 * - `cookie.expires` maps exactly (to the millisecond) to `expiresAt`; a session without cookie
 *   expiry gets `defaultTtl` (24 h).
 * - Saves are compare-and-set against the version the request loaded: a session another request
 *   destroyed is never brought back, and one another request changed is never silently
 *   overwritten — the save fails with a `ConflictError` (`code: 'CONFLICT'`), which
 *   @fastify/session reports before the response is sent.
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
  readonly store: SessionStore<SessionData>;
  readonly #defaultTtl: number;
  readonly #userId: (s: Record<string, unknown>) => unknown;
  readonly #hashIds: boolean;
  readonly #clock: () => number;

  constructor(options: FastifyStoreOptions) {
    this.store = options.store;
    this.#defaultTtl = options.defaultTtl ?? DAY;
    const field = options.userId ?? 'userId';
    this.#userId = typeof field === 'function' ? field : (s) => s[field];
    this.#hashIds = options.hashIds ?? true;
    this.#clock = options.clock ?? Date.now;
  }

  /** The store key for a session ID. */
  keyOf(sessionId: string): string {
    return this.#hashIds ? createHash('sha256').update(sessionId).digest('hex') : sessionId;
  }

  /** @fastify/session's `get`: the stored session, or `null`. */
  get(sessionId: string, callback: SessionCallback): void {
    this.#get(sessionId).then(
      (value) => callback(null, value),
      (err) => callback(err),
    );
  }

  /** @fastify/session's `set`: a compare-and-set against the version this request loaded. */
  set(sessionId: string, session: object, callback: Callback): void {
    this.#set(sessionId, session as Record<string, unknown>).then(
      () => callback(),
      (err) => callback(err),
    );
  }

  /** @fastify/session's `destroy`. */
  destroy(sessionId: string, callback: Callback): void {
    this.store.delete(this.keyOf(sessionId)).then(
      () => callback(),
      (err) => callback(err),
    );
  }

  async #get(sessionId: string): Promise<Record<string, unknown> | null> {
    let record: SessionRecord<SessionData> | undefined;
    try {
      record = await this.store.get(this.keyOf(sessionId));
    } catch (err) {
      // An ID the store cannot even hold (only possible with hashIds: false) is a miss.
      if (isSessionError(err, 'INVALID_KEY')) return null;
      throw err;
    }
    if (!record) return null;
    return { ...record.data, [VERSION_FIELD]: record.version ?? 0 };
  }

  async #set(sessionId: string, session: Record<string, unknown>): Promise<void> {
    const data: SessionData = {};
    for (const [key, value] of Object.entries(session)) {
      if (key === VERSION_FIELD) continue;
      data[key] = key === 'cookie' ? cookieJson(value) : value;
    }
    const record: SessionRecord<SessionData> = { data, expiresAt: this.#expiresAt(session) };
    const owner = this.#userId(session);
    if (typeof owner === 'string' && owner.length > 0) record.userId = owner;
    // A session without a loaded version is new: it must not exist yet.
    const loaded = session[VERSION_FIELD];
    const ifVersion = typeof loaded === 'number' ? loaded : 0;
    const { version } = await this.store.set(this.keyOf(sessionId), record, { ifVersion });
    // @fastify/session hashes the session after this callback: the new version is part of it.
    session[VERSION_FIELD] = version;
  }

  #expiresAt(session: Record<string, unknown>): number {
    const cookie = session.cookie as { expires?: Date | string | null } | undefined;
    if (cookie?.expires) {
      const at = new Date(cookie.expires).getTime();
      if (Number.isFinite(at)) return at;
    }
    return this.#clock() + this.#defaultTtl;
  }
}

/** @fastify/session's Cookie is a class instance; store what its toJSON says. */
function cookieJson(cookie: unknown): unknown {
  const toJSON = (cookie as { toJSON?: () => unknown } | null)?.toJSON;
  return typeof toJSON === 'function' ? toJSON.call(cookie) : cookie;
}
