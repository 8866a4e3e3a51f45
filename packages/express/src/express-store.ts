/**
 * A drop-in `express-session` store over any `@sessions` store: express-session's Store API
 * on top of the adapter kit, which does the rest.
 */
import type { MissReason } from '@sessions/core';
import { type NodeCallback, SessionBridge, settle } from '@sessions/core/adapter';
import type { Request } from 'express';
import session, { type SessionData } from 'express-session';
import { hasCookie } from './miss-reason.js';
import type { ExpressStoreOptions } from './options.js';

const SOURCE = '@sessions/express';

/** express-session's cookie name when `session({ name })` is not given. */
const DEFAULT_COOKIE_NAME = 'connect.sid';

/** express-session's `store.generate`: a new session (ID, Session, Cookie) on `req`. */
type Generate = (req: Request) => void;

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
  readonly #cookieName: string;
  /** express-session's own `generate`, which `session()` assigns to its store. */
  #generate: Generate | undefined;
  /**
   * The reason of the miss whose callback is running: express-session calls `generate(req)`
   * synchronously inside `get`'s callback, so this is how the reason reaches `req`.
   */
  #running: { sid: string; reason: MissReason } | undefined;

  constructor(options: ExpressStoreOptions) {
    super();
    this.#bridge = new SessionBridge(options, SOURCE);
    this.store = this.#bridge.store;
    this.#cookieName = this.#bridge.cookieName ?? DEFAULT_COOKIE_NAME;
  }

  /**
   * express-session's `generate`, which it calls when a request has no session: wrapped so
   * that `req.sessionMiss` says why. (express-session assigns its own to the store: the setter
   * keeps it.)
   */
  get generate(): Generate {
    return (req) => {
      const presented = req.sessionID;
      const running = this.#running;
      this.#frameworkGenerate()(req);
      if (presented === undefined) {
        // No ID: no cookie, or one express-session refused (a bad signature, unsigned).
        const reason = hasCookie(req.headers.cookie, this.#cookieName) ? 'malformed' : 'no-cookie';
        req.sessionMiss = this.#bridge.reportMiss(reason);
      } else {
        req.sessionMiss = running?.sid === presented ? running.reason : 'not-found';
      }
    };
  }

  /** Where `session()` puts express-session's own `generate`; the getter wraps it. */
  set generate(generate: Generate) {
    this.#generate = generate;
  }

  /**
   * End every session of `userId` ("log out everywhere"), but the one `options.except` names
   * (a session ID, e.g. `req.sessionID` for "log out everywhere else"); resolves to how many
   * ended. Atomic against a login or regenerate of that user racing it: the session such a
   * request creates is not kept (its save fails with `CONFLICT`). Their IDs read `revoked`.
   *
   * @example
   * ```ts
   * app.post('/logout-everywhere', async (req, res) => {
   *   const ended = await sessionStore.destroyAllForUser(req.session.userId, { except: req.sessionID });
   *   res.json({ ended });
   * });
   * ```
   */
  destroyAllForUser(userId: string, options: { except?: string } = {}): Promise<number> {
    return this.#bridge.destroyAllForUser(userId, options);
  }

  /**
   * A new session ID for `req` (login, privilege change): the old session is deleted (its ID
   * reads `rotated` for a minute), and when it had an owner, the new session is checked against
   * "log out everywhere" when it is saved. express-session calls this for
   * `req.session.regenerate()`.
   */
  override regenerate(req: Request, callback: (err?: unknown) => void): void {
    const previous = req.session as (session.Session & SessionData) | undefined;
    const previousId = req.sessionID;
    this.#frameworkGenerate()(req);
    if (previous === undefined || previousId === undefined) {
      queueMicrotask(() => callback());
      return;
    }
    settle(this.#bridge.regenerate(previousId, previous, req.session), (err) => callback(err));
  }

  #frameworkGenerate(): Generate {
    if (this.#generate === undefined) {
      throw new TypeError(`[${SOURCE}] this store is not in use by express-session's session()`);
    }
    return this.#generate;
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
    const found = this.#bridge.loadOrMiss(sid);
    if (!callback)
      return found.then((f) => (typeof f === 'string' ? null : (f as unknown as SessionData)));
    settle(found, (err, value) => {
      if (err !== null) return callback(err);
      if (typeof value !== 'string') return callback(null, value as unknown as SessionData);
      this.#running = { sid, reason: value };
      try {
        callback(null, null);
      } finally {
        this.#running = undefined;
      }
    });
    return undefined;
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
