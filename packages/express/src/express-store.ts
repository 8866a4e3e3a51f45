/**
 * A drop-in `express-session` store over any `@sessions` store: express-session's Store API
 * on top of the adapter kit, which does the rest.
 */
import { type NodeCallback, SessionBridge, settle } from '@sessions/core/adapter';
import session, { type SessionData } from 'express-session';
import type { ExpressStoreOptions } from './options.js';

const SOURCE = '@sessions/express';

/**
 * An `express-session` `Store` backed by any `@sessions` store.
 *
 * - `set` of a session this process loaded (the `req.session` express-session built from
 *   `get`, or the object `get` returned) is a compare-and-set against the version loaded: a
 *   session that another request destroyed (logout, "log out everywhere") is never brought
 *   back, and one another request changed is never silently overwritten. The save fails with
 *   a `ConflictError` (`code: 'CONFLICT'`), which express-session passes to `next(err)`.
 * - `set` of any other object is an upsert, as express-session documents it (and without
 *   that guarantee).
 * - `cookie.expires` maps exactly (to the ms) to the record's `expiresAt`; a session without
 *   cookie expiry gets `defaultTtl` (24 h). `touch` moves only that expiry, and the next `get`
 *   returns the touched `cookie.expires`.
 * - Session IDs are stored hashed (SHA-256) by default; `all()` then returns sessions
 *   without their IDs, and with `hashIds: false` each one with its `id`.
 * - Every method takes express-session's callback (called once, never inside a promise
 *   chain) and then returns nothing, or returns a Promise when given none.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import session from 'express-session';
 * import { ExpressSessionStore } from '@sessions/express';
 * import { SqliteStore } from '@sessions/sqlite';
 *
 * const app = express();
 * app.use(session({
 *   store: new ExpressSessionStore({ store: new SqliteStore({ database: 'sessions.db' }) }),
 *   secret: process.env.SESSION_SECRET!,
 *   resave: false,
 *   saveUninitialized: false,
 *   cookie: { maxAge: 30 * 60_000, httpOnly: true, secure: true, sameSite: 'lax' },
 * }));
 * ```
 */
export class ExpressSessionStore extends session.Store {
  /** The wrapped `@sessions` store. */
  readonly store: ExpressStoreOptions['store'];
  readonly #bridge: SessionBridge<SessionData>;

  constructor(options: ExpressStoreOptions) {
    super();
    this.#bridge = new SessionBridge(options, SOURCE);
    this.store = this.#bridge.store;
  }

  /** The store key for a session ID: its SHA-256 (or the ID itself with `hashIds: false`). */
  keyOf(sid: string): string {
    return this.#bridge.keyOf(sid);
  }

  /**
   * The session stored under `sid`, or `null` (missing, expired, or an ID no store holds).
   * With a callback, it is called once and nothing is returned; without one, a Promise.
   */
  override get(sid: string, callback: NodeCallback<SessionData | null>): void;
  override get(sid: string): Promise<SessionData | null>;
  override get(
    sid: string,
    callback?: NodeCallback<SessionData | null>,
  ): Promise<SessionData | null> | undefined {
    return settle(this.#bridge.load(sid) as Promise<SessionData | null>, callback);
  }

  /** Save: compare-and-set if this process loaded `sess` under `sid`, else an upsert. */
  override set(sid: string, sess: SessionData, callback: NodeCallback): void;
  override set(sid: string, sess: SessionData): Promise<void>;
  override set(sid: string, sess: SessionData, callback?: NodeCallback): Promise<void> | undefined {
    return settle(this.#bridge.save(sid, sess), callback);
  }

  /** Move the session's expiry to its cookie's; a session gone meanwhile stays gone. */
  override touch(sid: string, sess: SessionData, callback: NodeCallback): void;
  override touch(sid: string, sess: SessionData): Promise<void>;
  override touch(
    sid: string,
    sess: SessionData,
    callback?: NodeCallback,
  ): Promise<void> | undefined {
    return settle(this.#bridge.touch(sid, sess).then(nothing), callback);
  }

  /** Delete the session; a missing one is no error. */
  override destroy(sid: string, callback: NodeCallback): void;
  override destroy(sid: string): Promise<void>;
  override destroy(sid: string, callback?: NodeCallback): Promise<void> | undefined {
    return settle(this.#bridge.destroy(sid), callback);
  }

  /**
   * Every live session, as an array. With `hashIds: false` each carries its session ID as
   * `id` (as connect-redis does); with hashed IDs (the default) the store holds only their
   * SHA-256, so the sessions come without IDs.
   */
  override all(callback: NodeCallback<SessionData[]>): void;
  override all(): Promise<SessionData[]>;
  override all(callback?: NodeCallback<SessionData[]>): Promise<SessionData[]> | undefined {
    const sessions = this.#bridge
      .list()
      .then((listed) =>
        listed.map(({ id, session }) => (id === undefined ? session : { ...session, id })),
      );
    return settle(sessions as Promise<unknown> as Promise<SessionData[]>, callback);
  }

  /** How many live sessions the store holds. */
  override length(callback: NodeCallback<number>): void;
  override length(): Promise<number>;
  override length(callback?: NodeCallback<number>): Promise<number> | undefined {
    return settle(this.#bridge.count(), callback);
  }

  /** Delete every session of the wrapped store's namespace. */
  override clear(callback: NodeCallback): void;
  override clear(): Promise<void>;
  override clear(callback?: NodeCallback): Promise<void> | undefined {
    return settle(this.#bridge.clear(), callback);
  }

  /** The Session express-session builds from what `get` returned saves against its version. */
  override createSession(
    req: Parameters<session.Store['createSession']>[0],
    sess: SessionData,
  ): session.Session & SessionData {
    const created = super.createSession(req, sess);
    this.#bridge.loaded.adopt(sess, created);
    return created;
  }
}

function nothing(): void {}
