/**
 * What a framework's session store does with a `@sessions` store, written once for every
 * framework: session IDs to keys, sessions to records and back, compare-and-set against the
 * loaded version, misses.
 */
import { CorruptError, isSessionError } from '../errors.js';
import { hashSessionToken } from '../manager/tokens.js';
import type { SessionData, SessionRecord, SessionStore } from '../types.js';
import { cookieFault, cookieJson, instantOf, withExpiry } from './cookie.js';
import { LoadedVersions } from './loaded-versions.js';
import {
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from './options.js';

/** A session as `list` returns it: with its ID where the store holds IDs, not hashes. */
export interface ListedSession {
  /** The session ID; `undefined` with hashed IDs (the store holds only their SHA-256). */
  id: string | undefined;
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

  /** `source` names the adapter package in the errors it raises. */
  constructor(options: AdapterOptions<S>, source: string) {
    this.#options = resolveAdapterOptions(options);
    this.store = this.#options.store;
    this.#source = source;
  }

  /** The store key of a session ID: its SHA-256 hex digest, or the ID with `hashIds: false`. */
  keyOf(sessionId: string): string {
    return this.#options.hashIds ? hashSessionToken(sessionId) : sessionId;
  }

  /** The session stored under `sessionId` as plain data, or `null` (missing, expired, invalid ID). */
  async load(sessionId: string): Promise<SessionData | null> {
    const record = await this.#missIfInvalid(
      () => this.store.get(this.keyOf(sessionId)),
      undefined,
    );
    if (!record) return null;
    const session = this.#restore(record);
    this.loaded.remember(session, sessionId, record.version ?? 0);
    return session;
  }

  /**
   * Write `session` under `sessionId`: compare-and-set if this process loaded it under that
   * ID, else an upsert. Rejects with `ConflictError` when the loaded version is gone.
   */
  async save(sessionId: string, session: S): Promise<void> {
    const record = this.recordOf(session);
    const ifVersion = this.loaded.versionFor(session, sessionId);
    const key = this.keyOf(sessionId);
    const { version } = await (ifVersion === undefined
      ? this.store.set(key, record)
      : this.store.set(key, record, { ifVersion }));
    this.loaded.remember(session, sessionId, version);
  }

  /**
   * Move the expiry to what `session`'s cookie now says, without rewriting the data (reads
   * return the new `cookie.expires`). False when the session is gone: touch never creates.
   */
  touch(sessionId: string, session: S): Promise<boolean> {
    const expiresAt = this.#expiresAt(cookieJson((session as SessionData).cookie));
    return this.#missIfInvalid(() => this.store.touch(this.keyOf(sessionId), expiresAt), false);
  }

  /** Delete the session; a missing one (or an ID no store could hold) is no error. */
  async destroy(sessionId: string): Promise<void> {
    await this.#missIfInvalid(() => this.store.delete(this.keyOf(sessionId)), false);
  }

  /**
   * Every live session, each with its ID where the store holds IDs (`hashIds: false`), with
   * `id: undefined` where it holds only their hashes, from which no ID can be recovered.
   */
  async list(): Promise<ListedSession[]> {
    const entries = await this.#listStore();
    return entries.map(({ key, record }) => ({
      id: this.#options.hashIds ? undefined : key,
      session: this.#restore(record),
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
    const data: SessionData = {};
    for (const [field, value] of Object.entries(session)) {
      if (field === '__proto__') continue; // cannot be stored as a field and read back safely
      data[field] = field === 'cookie' ? cookieJson(value) : value;
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

  /** The stored data as the framework gets it back, checked so nothing in it can throw there. */
  #restore(record: SessionRecord<SessionData>): SessionData {
    const { data } = record;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new CorruptError(this.#source, 'the stored session is not an object');
    }
    const session: SessionData = {};
    for (const [field, value] of Object.entries(data)) {
      if (field === '__proto__') continue;
      session[field] = value;
    }
    if (session.cookie !== undefined) {
      const fault = cookieFault(session.cookie);
      if (fault) throw new CorruptError(this.#source, `the stored session's ${fault}`);
      session.cookie = withExpiry(session.cookie as SessionData, record.expiresAt);
    }
    return session;
  }

  async #listStore() {
    if (!this.store.list) {
      throw new TypeError(`[${this.#source}] the wrapped store does not implement list()`);
    }
    return this.store.list();
  }

  /** Run a store call; an ID the store refuses as a key is `miss`: no such session. */
  async #missIfInvalid<T>(call: () => Promise<T>, miss: T): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (isSessionError(err, 'INVALID_KEY')) return miss;
      throw err;
    }
  }
}
