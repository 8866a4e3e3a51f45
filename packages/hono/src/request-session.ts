/**
 * One request's session: loaded on first use, started only when needed, and written back by
 * the middleware before the response leaves. Login, logout and the "active sessions"
 * operations go through here so the cookie the response carries always matches the store.
 */
import { ConflictError, type Session, type SessionDescription } from '@sessions/core';
import type { Context } from 'hono';
import { type ResolvedMiddlewareOptions, SOURCE } from './options.js';
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

/** Options of {@link RequestSession.login}. */
export interface LoginOptions {
  /** Client metadata for the new session (default: the middleware's `meta` for this request). */
  meta?: Record<string, string>;
}

/** The {@link SessionAccessor} the middleware puts on each request's context. Internal. */
export class RequestSession<D> implements SessionAccessor<D> {
  readonly manager: ResolvedMiddlewareOptions<D>['manager'];
  readonly #options: ResolvedMiddlewareOptions<D>;
  readonly #c: Context;
  /** The token the request's cookie carried, if well-formed. */
  readonly #presented: string | undefined;
  /** The session this request works on: loaded, started, or the successor from a login. */
  #current: Session<D> | undefined;
  /** The presented session is over (not found, logged out, revoked): never load it again. */
  #ended = false;
  #loading: Promise<void> | undefined;

  constructor(options: ResolvedMiddlewareOptions<D>, c: Context, presented: string | undefined) {
    this.manager = options.manager;
    this.#options = options;
    this.#c = c;
    this.#presented = presented;
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
    this.#current ??= this.manager.create({
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
      next = await this.manager.regenerate(current, { userId });
    } else if (current !== undefined && !current.isNew) {
      // Another user's session on this device: it ends here, as a logout would end it.
      await this.manager.destroy(current);
    }
    if (next === undefined) {
      next = this.manager.create({ data: this.#options.initialData(), userId, meta });
      await this.manager.save(next);
    }
    this.#replace(next);
    return next;
  }

  /** End the session at the store; the response clears the cookie. True if one was removed. */
  async logout(): Promise<boolean> {
    const current = await this.load();
    const removed =
      current !== undefined && !current.isNew && (await this.manager.destroy(current));
    this.#replace(undefined);
    return removed;
  }

  /** End every session of the logged-in user (but this one with `keepCurrent`). */
  async logoutEverywhere(keepCurrent: boolean): Promise<number> {
    const current = await this.load();
    if (current?.userId === undefined) return 0;
    const count = await this.manager.destroyAllForUser(
      current.userId,
      keepCurrent ? { except: current } : {},
    );
    if (!keepCurrent) this.#replace(undefined);
    return count;
  }

  /** The logged-in user's live sessions, this one flagged `current`; `[]` when anonymous. */
  async activeSessions(): Promise<SessionDescription[]> {
    const current = await this.load();
    if (current?.userId === undefined) return [];
    return this.manager.listForUser(current.userId, { current });
  }

  /** End one of the logged-in user's sessions by its handle; false if it is not theirs. */
  async revoke(handle: string): Promise<boolean> {
    const current = await this.load();
    if (current?.userId === undefined) return false;
    const removed = await this.manager.revoke(current.userId, handle);
    if (removed && handle === current.handle) this.#replace(undefined);
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
    // A started session nobody changed is not worth a write (an anonymous read-only visit).
    if (session !== undefined && saveChanges && !(session.isNew && !session.changed)) {
      const hadChanges = session.isNew || session.changed;
      const result = await this.manager.save(session);
      if (result.status === 'destroyed') {
        // Ended by another request since it was loaded: never bring it back.
        this.#replace(undefined);
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
      return session.token === this.#presented ? undefined : this.manager.serializeCookie(session);
    }
    return this.#ended && this.#presented !== undefined ? this.manager.clearCookie() : undefined;
  }

  async #loadPresented(): Promise<void> {
    const found = await this.manager.load(this.#presented);
    // A login or logout that ran meanwhile decided what this request's session is.
    if (this.#current !== undefined || this.#ended) return;
    if (found) this.#current = found;
    else this.#ended = this.#presented !== undefined;
  }

  /** From here on the request's session is `next`; the presented one is over. */
  #replace(next: Session<D> | undefined): void {
    this.#current = next;
    this.#ended = true;
  }
}
