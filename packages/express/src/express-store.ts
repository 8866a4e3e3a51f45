/**
 * A drop-in `express-session` store over any `@sessions` store, with compare-and-set on save so
 * that a session destroyed or changed by another request is never silently overwritten.
 */
import { createHash } from 'node:crypto';
import {
  isSessionError,
  type SessionRecord,
  type SessionStore,
  type SessionData as StoreData,
} from '@sessions/core';
import session, { type SessionData } from 'express-session';
import type { ExpressStoreOptions } from './options.js';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** Carries the loaded version from `get` to `createSession`; symbols survive no copy. */
const LOADED_VERSION = Symbol('sessions.loadedVersion');
const DAY = 24 * 60 * 60 * 1000;

/** Settle a promise through a Node-style callback when one is given, else return it. */
function settle<T>(promise: Promise<T>, callback?: Callback<T>): Promise<T> | undefined {
  if (!callback) return promise;
  promise.then(
    (value) => callback(null, value),
    (err) => callback(err),
  );
  return undefined;
}

/**
 * An `express-session` `Store` backed by any `@sessions` store.
 *
 * - `cookie.expires` maps exactly (to the millisecond) to `expiresAt`; a session without cookie
 *   expiry gets `defaultTtl` (24 h).
 * - Saves are compare-and-set against the version the request loaded: a session that another
 *   request destroyed (logout, "log out everywhere") is never brought back, and one another
 *   request changed is never silently overwritten — the save fails with a `ConflictError`
 *   (`code: 'CONFLICT'`), which express-session passes to `next(err)`.
 * - Session IDs are stored hashed (SHA-256) by default.
 * - Every method takes express-session's callback, and returns a Promise when none is given.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import session from 'express-session';
 * import { SessionsStore } from '@sessions/express';
 * import { SqliteStore } from '@sessions/sqlite';
 *
 * const app = express();
 * app.use(session({
 *   store: new SessionsStore({ store: new SqliteStore({ database: 'sessions.db' }) }),
 *   secret: process.env.SESSION_SECRET!,
 *   resave: false,
 *   saveUninitialized: false,
 *   cookie: { maxAge: 30 * 60_000, httpOnly: true, secure: true, sameSite: 'lax' },
 * }));
 * ```
 */
export class SessionsStore extends session.Store {
  /** The wrapped `@sessions` store. */
  readonly store: SessionStore<StoreData>;
  readonly #defaultTtl: number;
  readonly #userId: (s: SessionData) => unknown;
  readonly #hashIds: boolean;
  readonly #clock: () => number;
  /** The version each live Session object was loaded (or last saved) at. */
  readonly #versions = new WeakMap<object, number>();

  constructor(options: ExpressStoreOptions) {
    super();
    this.store = options.store;
    this.#defaultTtl = options.defaultTtl ?? DAY;
    const field = options.userId ?? 'userId';
    this.#userId =
      typeof field === 'function' ? field : (s) => (s as unknown as Record<string, unknown>)[field];
    this.#hashIds = options.hashIds ?? true;
    this.#clock = options.clock ?? Date.now;
  }

  /** The store key for a session ID. */
  keyOf(sid: string): string {
    return this.#hashIds ? createHash('sha256').update(sid).digest('hex') : sid;
  }

  override get(sid: string, callback?: Callback<SessionData | null>): any {
    return settle(this.#get(sid), callback);
  }

  override set(sid: string, sess: SessionData, callback?: Callback): any {
    return settle(this.#set(sid, sess), callback);
  }

  override touch(sid: string, sess: SessionData, callback?: Callback): any {
    return settle(this.#touch(sid, sess), callback);
  }

  override destroy(sid: string, callback?: Callback): any {
    return settle(
      this.store.delete(this.keyOf(sid)).then(() => undefined),
      callback,
    );
  }

  override all(callback?: Callback<SessionData[]>): any {
    return settle(
      this.#list().then((list) => list.map(({ record }) => record.data as unknown as SessionData)),
      callback,
    );
  }

  override length(callback?: Callback<number>): any {
    return settle(
      this.#list().then((list) => list.length),
      callback,
    );
  }

  override clear(callback?: Callback): any {
    return settle(this.store.clear(), callback);
  }

  /** Remember the loaded version on the Session object express-session builds from `get`. */
  override createSession(
    req: Parameters<session.Store['createSession']>[0],
    sess: SessionData,
  ): session.Session & SessionData {
    const version = (sess as unknown as Record<symbol, unknown>)[LOADED_VERSION];
    const created = super.createSession(req, sess);
    if (typeof version === 'number') this.#versions.set(created, version);
    return created;
  }

  async #get(sid: string): Promise<SessionData | null> {
    let record: SessionRecord<StoreData> | undefined;
    try {
      record = await this.store.get(this.keyOf(sid));
    } catch (err) {
      // An ID the store cannot even hold (only possible with hashIds: false) is a miss.
      if (isSessionError(err, 'INVALID_KEY')) return null;
      throw err;
    }
    if (!record) return null;
    const data = record.data as unknown as SessionData;
    Object.defineProperty(data, LOADED_VERSION, { value: record.version ?? 0, enumerable: false });
    return data;
  }

  async #set(sid: string, sess: SessionData): Promise<void> {
    const record: SessionRecord<StoreData> = {
      data: toPlain(sess),
      expiresAt: this.#expiresAt(sess),
    };
    const owner = this.#userId(sess);
    if (typeof owner === 'string' && owner.length > 0) record.userId = owner;
    // A session this process never loaded is new: it must not exist yet.
    const ifVersion = this.#versions.get(sess) ?? 0;
    const { version } = await this.store.set(this.keyOf(sid), record, { ifVersion });
    this.#versions.set(sess, version);
  }

  async #touch(sid: string, sess: SessionData): Promise<void> {
    // False means the session is gone or expired: touch never brings it back.
    await this.store.touch(this.keyOf(sid), this.#expiresAt(sess));
  }

  async #list() {
    if (!this.store.list) {
      throw new TypeError('[@sessions/express] the wrapped store does not implement list()');
    }
    return this.store.list();
  }

  #expiresAt(sess: SessionData): number {
    const expires = (sess.cookie as { expires?: Date | string | null } | undefined)?.expires;
    if (expires) {
      const at = new Date(expires).getTime();
      if (Number.isFinite(at)) return at;
    }
    return this.#clock() + this.#defaultTtl;
  }
}

/** The session as plain data: express-session's Session and Cookie are class instances. */
function toPlain(sess: SessionData): StoreData {
  const out: StoreData = {};
  for (const [key, value] of Object.entries(sess)) {
    out[key] = key === 'cookie' && value && typeof value === 'object' ? cookieJson(value) : value;
  }
  return out;
}

/** express-session's Cookie keeps `expires` behind a getter; store what its toJSON says. */
function cookieJson(cookie: object): object {
  const toJSON = (cookie as { toJSON?: () => object }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(cookie) : { ...cookie };
}
