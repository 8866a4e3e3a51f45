/**
 * What a framework's session store does with a `@sessions` store, written once for every
 * framework: session IDs to keys, sessions to records and back, compare-and-set against the
 * loaded version, misses.
 */
import { isSessionError } from '../errors.js';
import type { SessionListener } from '../manager/events.js';
import type { MissReason } from '../manager/miss-reasons.js';
import { hashSessionToken } from '../manager/tokens.js';
import type { SessionData, SessionRecord, SessionStore } from '../types.js';
import { cookieJson, instantOf } from './cookie.js';
import { LoadedVersions } from './loaded-versions.js';
import {
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from './options.js';
import { BORN_AT_FIELD, restoreSession } from './restore.js';
import { type AdapterEventType, isBookkeepingKey, SessionEnds } from './session-ends.js';

/** A session as `list` returns it: with its ID where the store holds IDs, not hashes. */
export interface ListedSession {
  /** The session ID; `undefined` with hashed IDs (the store holds only their SHA-256). */
  id: string | undefined;
  /** The session's data as the framework stores it (its `cookie` included). */
  session: SessionData;
}

/**
 * Turns a framework's session objects into store records and back, over any `@sessions`
 * store. A framework adapter adds only its protocol (callbacks, its Session class) on top.
 *
 * - Session ID → store key: SHA-256 through core's `hashSessionToken`, or the ID itself with
 *   `hashIds: false`. An ID the store refuses as a key (`INVALID_KEY`) is a miss on reads.
 * - Cookie → `expiresAt`, to the millisecond; `defaultTtl` from now when the cookie has none.
 *   On reads, `cookie.expires` comes from `expiresAt`, so a `touch` shows in the next read.
 * - Owner → the record's `userId` (see {@link AdapterOptions.userId}).
 * - Saves: an object loaded here (by {@link SessionBridge.load}, or built from one that was:
 *   see {@link SessionBridge.loaded}) is written with compare-and-set against the version it was
 *   loaded at, so a session destroyed or changed meanwhile is never brought back or overwritten
 *   (`ConflictError`). Any other object is an unconditional upsert, as express-session
 *   documents `set`.
 * - Reads check what the framework will rebuild: data that is not an object, or a cookie no
 *   framework could rebuild without throwing, is a `CorruptError`, never a crash.
 *
 * @example
 * ```ts
 * const bridge = new SessionBridge({ store: new SqliteStore() }, '@acme/koa-sessions');
 * const session = await bridge.load(sid); // null on a miss
 * session.count = 1;
 * await bridge.save(sid, session); // compare-and-set against the loaded version
 * ```
 */
export class SessionBridge<S extends object = SessionData> {
  /** The wrapped store. */
  readonly store: SessionStore<SessionData>;
  /**
   * The version each object was loaded or last saved at. An adapter whose framework builds
   * its own Session object from what `load` returned tells it with `loaded.adopt(from, to)`.
   */
  readonly loaded = new LoadedVersions();
  readonly #options: ResolvedAdapterOptions<S>;
  readonly #source: string;
  readonly #ends: SessionEnds;

  /** `source` names the adapter package in the errors it raises. */
  constructor(options: AdapterOptions<S>, source: string) {
    this.#options = resolveAdapterOptions(options);
    this.store = this.#options.store;
    this.#source = source;
    this.#ends = new SessionEnds(this.#options as ResolvedAdapterOptions<unknown>, source);
  }

  /** The session cookie's name given in the options, if any (else the framework's default). */
  get cookieName(): string | undefined {
    return this.#options.cookieName;
  }

  /** The store key of a session ID: its SHA-256 hex digest, or the ID with `hashIds: false`. */
  keyOf(sessionId: string): string {
    return this.#options.hashIds ? hashSessionToken(sessionId) : sessionId;
  }

  /** The session stored under `sessionId` as plain data, or `null` (missing, expired, invalid ID). */
  load(sessionId: string): Promise<SessionData | null> {
    return this.loadOrMiss(sessionId).then((found) => (typeof found === 'string' ? null : found));
  }

  /**
   * The session stored under `sessionId` as plain data, or why there is none (a string):
   * `malformed` (an ID no store could hold), `not-found`, `rotated` or `revoked` (a tombstone
   * says so), `expired-idle` (the store served a record past its expiry by the adapter's clock).
   * A store failure rejects, as `load` does, after a `miss` event saying `store-unavailable`.
   * A hit is one store `get`; a miss reads the ID's tombstone (one more), unless
   * `missReasons: false`.
   */
  loadOrMiss(sessionId: string): Promise<SessionData | MissReason> {
    let key: string | undefined;
    let read: Promise<SessionRecord<SessionData> | undefined>;
    try {
      key = this.keyOf(sessionId);
      read = this.store.get(key);
    } catch (err) {
      read = Promise.reject(err);
    }
    return read.then(
      (record) => {
        const at = key as string;
        if (!record) return this.#ends.notFound(at);
        if (record.expiresAt <= this.#options.clock()) {
          return this.#ends.miss('expired-idle', this.#ends.handleOf(at));
        }
        const { session, bornAt } = restoreSession(record, this.#source);
        // An owned record without its birth (older, or tampered) counts as begun long ago, so a
        // mark covers it; an anonymous one's owned lineage begins when it first gets an owner.
        const born = bornAt ?? (record.userId === undefined ? undefined : 0);
        this.loaded.remember(session, sessionId, at, record.version ?? 0, born);
        return session;
      },
      (err: unknown) => {
        if (isSessionError(err, 'INVALID_KEY')) return this.#ends.miss('malformed');
        this.#ends.failedRead(err, key);
        throw err;
      },
    );
  }

  /**
   * Write `session` under `sessionId`: compare-and-set if this process loaded it under that
   * ID, else an upsert. Rejects with `ConflictError` when the loaded version is gone, or when
   * `session` is the successor of a regenerate that "log out everywhere" ended (see
   * {@link regenerate}).
   */
  save(sessionId: string, session: S): Promise<void> {
    let written: Promise<{ version: number }>;
    let key: string;
    let record: SessionRecord<SessionData>;
    let bornAt: number | undefined;
    try {
      this.#ends.checkBeforeWrite(session);
      record = this.recordOf(session);
      const origin = this.loaded.originOf(session, sessionId);
      key = origin ? origin.key : this.keyOf(sessionId);
      bornAt = origin?.bornAt;
      // Only an owned session can be a revocation mark's concern: only it carries its birth.
      if (record.userId !== undefined) {
        bornAt ??= this.#options.clock();
        record.data[BORN_AT_FIELD] = bornAt;
      }
      written = origin
        ? this.store.set(key, record, { ifVersion: origin.version })
        : this.store.set(key, record);
    } catch (err) {
      return Promise.reject(err);
    }
    return written.then(async ({ version }) => {
      this.loaded.remember(session, sessionId, key, version, bornAt);
      await this.#ends.checkAfterWrite(session, key, record.userId !== undefined, record.expiresAt);
    });
  }

  /**
   * Delete the session loaded as `predecessor` under `predecessorId`, for a regenerate whose
   * new session is `successor` (see {@link succeeded}); resolves to whether a live session was
   * removed.
   */
  async regenerate(predecessorId: string, predecessor: S, successor: object): Promise<boolean> {
    const origin = this.loaded.originOf(predecessor, predecessorId);
    const removed = await this.remove(origin ? origin.key : this.keyOf(predecessorId), true);
    await this.succeeded(predecessorId, predecessor, successor, removed);
    return removed;
  }

  /**
   * `successor` replaces `predecessor` (loaded under `predecessorId`), which a regenerate just
   * deleted (`removed`: whether it was still live). The old ID reads `rotated` for
   * `rotationGrace`. When the old session had an owner, `successor`'s saves are checked against
   * the owner's "log out everywhere" mark, so a regenerate racing "log out everywhere" never
   * carries a session past it: the save fails with a `ConflictError` and nothing is kept (also
   * when the old session was already gone). Nothing happens for a `predecessor` this process
   * did not load.
   */
  async succeeded(
    predecessorId: string,
    predecessor: object,
    successor: object,
    removed: boolean,
  ): Promise<void> {
    const origin = this.loaded.originOf(predecessor, predecessorId);
    if (origin === undefined) return;
    const owner = this.#options.ownerOf(predecessor as S);
    await this.#ends.rotated(origin, owner, successor, removed);
  }

  /**
   * Delete the session under `sessionId` (or, with `isKey`, under that store key); resolves to
   * whether a live one was removed. An ID no store could hold is no error.
   */
  remove(sessionId: string, isKey = false): Promise<boolean> {
    return this.#call(() => this.store.delete(isKey ? sessionId : this.keyOf(sessionId)), false);
  }

  /**
   * "Log out everywhere (else)": end every session of `userId` but the one under
   * `options.except` (a session ID); resolves to how many ended. Atomic against a concurrent
   * regenerate or login of that user: it first writes the user's revocation mark (the session
   * manager's, one `get` and one `set`), which the successor of a regenerate reads once it is
   * stored. The ended sessions' IDs read `revoked` (`missReasons`).
   */
  destroyAllForUser(userId: string, options: { except?: string } = {}): Promise<number> {
    const { except } = options;
    return this.#ends.destroyAllForUser(
      userId,
      except === undefined ? undefined : this.keyOf(except),
    );
  }

  /** Listen to `miss` or `revoked`; returns the function that stops listening. No listener, no cost. */
  on<K extends AdapterEventType>(type: K, listener: SessionListener<K>): () => void {
    return this.#ends.on(type, listener);
  }

  /** Stop a listener added with {@link on}. */
  off<K extends AdapterEventType>(type: K, listener: SessionListener<K>): void {
    this.#ends.off(type, listener);
  }

  /** Report a miss the framework found before any store call (`no-cookie`, `malformed`). */
  reportMiss(reason: MissReason): MissReason {
    return this.#ends.miss(reason);
  }

  /**
   * Move the expiry to what `session`'s cookie now says, without rewriting the data (reads
   * return the new `cookie.expires`). False when the session is gone: touch never creates.
   */
  touch(sessionId: string, session: S): Promise<boolean> {
    return this.#call(() => {
      const origin = this.loaded.originOf(session, sessionId);
      const key = origin ? origin.key : this.keyOf(sessionId);
      const expiresAt = this.#expiresAt(cookieJson((session as SessionData).cookie));
      return this.store.touch(key, expiresAt);
    }, false);
  }

  /** Delete the session; a missing one (or an ID no store could hold) is no error. */
  destroy(sessionId: string): Promise<void> {
    return this.remove(sessionId).then(nothing);
  }

  /**
   * Every live session, each with its ID where the store holds IDs (`hashIds: false`), with
   * `id: undefined` where it holds only their hashes, from which no ID can be recovered.
   */
  async list(): Promise<ListedSession[]> {
    const entries = await this.#listStore();
    return entries.map(({ key, record }) => ({
      id: this.#options.hashIds ? undefined : key,
      session: restoreSession(record, this.#source).session,
    }));
  }

  /** How many live sessions the store holds. */
  async count(): Promise<number> {
    return (await this.#listStore()).length;
  }

  /** Delete every session of the store's namespace. */
  clear(): Promise<void> {
    return this.store.clear();
  }

  /**
   * The record `session` is stored as: its own enumerable fields as data (the cookie as
   * plain JSON), the cookie's expiry (else `defaultTtl` from now) and the owner.
   */
  recordOf(session: S): SessionRecord<SessionData> {
    const fields = session as SessionData;
    const data: SessionData = {};
    for (const field of Object.keys(fields)) {
      if (field === '__proto__') continue; // cannot be stored as a field and read back safely
      data[field] = field === 'cookie' ? cookieJson(fields[field]) : fields[field];
    }
    const record: SessionRecord<SessionData> = {
      data,
      expiresAt: this.#expiresAt(data.cookie),
    };
    const owner = this.#options.ownerOf(session);
    if (owner !== undefined) record.userId = owner;
    return record;
  }

  #expiresAt(cookie: unknown): number {
    const at = instantOf((cookie as SessionData | undefined)?.expires);
    return at ?? this.#options.clock() + this.#options.defaultTtl;
  }

  async #listStore() {
    if (!this.store.list) {
      throw new TypeError(`[${this.#source}] the wrapped store does not implement list()`);
    }
    // The manager's tombstones and revocation marks share the namespace: they are no sessions.
    return (await this.store.list()).filter(({ key }) => !isBookkeepingKey(key));
  }

  /**
   * Run a store call; an ID the store refuses as a key is `miss`: no such session. A store
   * that throws instead of rejecting rejects here too.
   */
  #call<T>(call: () => Promise<T>, miss: T): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (err) {
      pending = Promise.reject(err);
    }
    return pending.catch((err: unknown) => {
      if (isSessionError(err, 'INVALID_KEY')) return miss;
      throw err;
    });
  }
}

function nothing(): void {}
