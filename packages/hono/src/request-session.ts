/**
 * One request's session: loaded on first use, started only when needed, and written back by
 * the middleware before the response leaves. Login, logout and the "active sessions"
 * operations go through here so the cookie the response carries always matches the store.
 */
import {
  ConflictError,
  type RegenerateOptions,
  type Session,
  type SessionDescription,
  type SessionManager,
} from '@sessions/core';
import { rotatedAwayConflict } from '@sessions/core/adapter';
import type { Context } from 'hono';
import { isUnavailable, type ResolvedMiddlewareOptions, SOURCE } from './options.js';
import type { SessionAccessor } from './types.js';

/** What the middleware does to the response once the session is settled. */
export interface CommitOutcome {
  /** The `Set-Cookie` value to send (a new token, or the clearing cookie), if any. */
  cookie: string | undefined;
  /**
   * Set when the handler's change could not be stored because another request ended the
   * session meanwhile: the response must not acknowledge it.
   */
  lost: ConflictError | undefined;
}

/** Options of `login(c, userId, options)`. */
export interface LoginOptions {
  /** Client metadata for the new session (default: the middleware's `meta` for this request). */
  meta?: Record<string, string>;
}

/** The {@link SessionAccessor} the middleware puts on each request's context. Internal. */
export class RequestSession<D> implements SessionAccessor<D> {
  readonly #manager: SessionManager<D>;
  readonly #options: ResolvedMiddlewareOptions<D>;
  readonly #c: Context;
  /** The session cookie's raw value, if the request carried one (well-formed or not). */
  readonly #presented: string | undefined;
  /** The session this request works on: loaded, started, or the successor from a login. */
  #current: Session<D> | undefined;
  /** The presented session is over (not found, logged out, revoked): never load it again. */
  #ended = false;
  /**
   * This request ended the presented session itself (logout, revoke, "log out everywhere"), so
   * its response clears the cookie. Only such a request may: a request that merely found the
   * session gone may be one still in flight with the cookie from before a login, and its
   * clearing cookie, arriving last, would wipe the new one.
   */
  #clear = false;
  /**
   * The presented token was rotated away (a login or privilege change on this browser, within
   * the manager's `rotationGrace`): the browser already holds its successor. A session this
   * request starts must not be stored nor sent, or its cookie, arriving last, would replace the
   * login's.
   */
  #rotatedAway = false;
  #loading: Promise<void> | undefined;
  #managerView: SessionManager<D> | undefined;

  constructor(options: ResolvedMiddlewareOptions<D>, c: Context, presented: string | undefined) {
    this.#manager = options.manager;
    this.#options = options;
    this.#c = c;
    this.#presented = presented;
  }

  /**
   * The manager, with `regenerate` and `destroy` of this request's own session routed through
   * the request (as {@link regenerate} and {@link logout}), so the response carries the cookie
   * of what the store holds and no session is left that no client holds.
   */
  get manager(): SessionManager<D> {
    if (this.#managerView !== undefined) return this.#managerView;
    const manager = this.#manager;
    const routed: Pick<SessionManager<D>, 'regenerate' | 'destroy'> = {
      regenerate: (session, options) =>
        session === this.#current ? this.regenerate(options) : manager.regenerate(session, options),
      destroy: async (target) =>
        target === this.#current ? this.logout() : manager.destroy(target),
    };
    // A proxy rather than a copy: a manager of the app's own (a class) keeps its methods.
    this.#managerView = new Proxy(manager, {
      get(target, prop) {
        if (prop === 'regenerate' || prop === 'destroy') return routed[prop];
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return this.#managerView;
  }

  async load(): Promise<Session<D> | undefined> {
    if (this.#current === undefined && !this.#ended) {
      this.#loading ??= this.#loadPresented();
      await this.#loading;
    }
    return this.#current;
  }

  async get(): Promise<Session<D>> {
    const loaded = await this.load();
    if (loaded) return loaded;
    // Another call may have started one while this one awaited the load.
    this.#current ??= this.#manager.create({
      data: this.#options.initialData(),
      meta: this.#options.meta(this.#c),
    });
    return this.#current;
  }

  /**
   * Log `userId` in: the session moves to a new token (the one the client had is dead). An
   * anonymous session keeps its data (a cart filled before login); a session of another user
   * is ended and the new one starts from `initialData`, so nothing crosses from one user to the
   * next. If there was no session, or another request ended it meanwhile, a fresh one starts.
   */
  async login(userId: string, options: LoginOptions = {}): Promise<Session<D>> {
    const current = await this.load();
    const meta = options.meta ?? this.#options.meta(this.#c) ?? current?.meta;
    let next: Session<D> | undefined;
    if (current !== undefined && (current.userId === undefined || current.userId === userId)) {
      current.meta = meta;
      next = await this.#manager.regenerate(current, { userId });
    } else if (current !== undefined && !current.isNew) {
      // Another user's session on this device: it ends here, as a logout would end it.
      await this.#manager.destroy(current);
    }
    if (next === undefined) {
      next = this.#manager.create({ data: this.#options.initialData(), userId, meta });
      await this.#manager.save(next);
    }
    this.#replace(next, false);
    return next;
  }

  /**
   * Rotate the token on a privilege change: the session (unsaved changes included) moves to a
   * new token, the old one is dead, and the absolute deadline stays where it was. `undefined`
   * when there is no session, or when another request ended it meanwhile (logout, "log out
   * everywhere"): then nothing was created and the request goes on anonymous.
   */
  async regenerate(options: RegenerateOptions = {}): Promise<Session<D> | undefined> {
    const current = await this.load();
    if (current === undefined) return undefined;
    const next = await this.#manager.regenerate(current, options);
    this.#replace(next, false);
    return next;
  }

  /** End the session at the store; the response clears the cookie. True if one was removed. */
  async logout(): Promise<boolean> {
    const current = await this.load();
    const removed =
      current !== undefined && !current.isNew && (await this.#manager.destroy(current));
    this.#replace(undefined, removed);
    return removed;
  }

  /** End every session of the logged-in user (but this one with `keepCurrent`). */
  async logoutEverywhere(keepCurrent: boolean): Promise<number> {
    const current = await this.load();
    if (current?.userId === undefined) return 0;
    const count = await this.#manager.destroyAllForUser(
      current.userId,
      keepCurrent ? { except: current } : {},
    );
    if (!keepCurrent) this.#replace(undefined, !current.isNew);
    return count;
  }

  /** The logged-in user's live sessions, this one flagged `current`; `[]` when anonymous. */
  async activeSessions(): Promise<SessionDescription[]> {
    const current = await this.load();
    if (current?.userId === undefined) return [];
    return this.#manager.listForUser(current.userId, { current });
  }

  /** End one of the logged-in user's sessions by its handle; false if it is not theirs. */
  async revoke(handle: string): Promise<boolean> {
    const current = await this.load();
    if (current?.userId === undefined) return false;
    const removed = await this.#manager.revoke(current.userId, handle);
    if (removed && handle === current.handle) this.#replace(undefined, true);
    return removed;
  }

  /**
   * Settle the session before the response leaves: save it if it needs saving (and
   * `saveChanges`, false when the handler failed), then say which cookie to send. Throws what
   * the save throws (`ConflictError`, `UnavailableError`...), having written nothing.
   */
  async commit(saveChanges: boolean): Promise<CommitOutcome> {
    let lost: ConflictError | undefined;
    const session = this.#current;
    if (session?.isNew && this.#rotatedAway) {
      // Started here on a token a login just rotated: the browser holds the successor, so a
      // new anonymous session would either replace the login cookie or be stored for no one.
      this.#replace(undefined, false);
      if (saveChanges && session.changed) {
        lost = rotatedAwayConflict(SOURCE);
      }
      return { cookie: undefined, lost };
    }
    // A started session nobody changed is not worth a write (an anonymous read-only visit).
    if (session !== undefined && saveChanges && !(session.isNew && !session.changed)) {
      const hadChanges = session.isNew || session.changed;
      const result = await this.#manager.save(session);
      if (result.status === 'destroyed') {
        // Ended by another request since it was loaded: never bring it back, and leave the
        // cookie alone (that request cleared it, or gave the client a new one).
        this.#replace(undefined, false);
        if (hadChanges) {
          lost = new ConflictError(
            SOURCE,
            'the session was ended by another request before this one saved; nothing was written',
          );
        }
      }
    }
    return { cookie: this.#cookie(), lost };
  }

  /** The cookie that makes the client hold what the store holds. */
  #cookie(): string | undefined {
    const session = this.#current;
    if (session !== undefined && !session.isNew) {
      return session.token === this.#presented ? undefined : this.#manager.serializeCookie(session);
    }
    return this.#clear ? this.#manager.clearCookie() : undefined;
  }

  async #loadPresented(): Promise<void> {
    let found: Awaited<ReturnType<SessionManager<D>['loadWithReason']>>;
    try {
      found = await this.#manager.loadWithReason(this.#presented);
    } catch (err) {
      // Recorded for the app's logs; the request itself fails closed (503), never anonymous.
      if (isUnavailable(err)) this.#c.set('sessionMiss', 'store-unavailable');
      throw err;
    }
    // Why the presented cookie found nothing, even if a login or logout meanwhile moved on.
    if (found.reason !== undefined) this.#c.set('sessionMiss', found.reason);
    this.#rotatedAway = found.reason === 'rotated';
    // A login or logout that ran meanwhile decided what this request's session is.
    if (this.#current !== undefined || this.#ended) return;
    if (found.session) this.#current = found.session;
    else this.#ended = this.#presented !== undefined;
  }

  /**
   * From here on the request's session is `next`; the presented one is over. `endedHere`: this
   * request ended it, so the response may clear the cookie (when there is no `next`).
   */
  #replace(next: Session<D> | undefined, endedHere: boolean): void {
    this.#current = next;
    this.#ended = true;
    this.#clear ||= endedHere;
  }
}
