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
  load(sessionId: string): Promise<SessionData | null> {
    let key: string;
    return this.#call(() => {
      key = this.keyOf(sessionId);
      return this.store.get(key);
    }, undefined).then((record) => {
      if (!record) return null;
      const session = this.#restore(record);
      this.loaded.remember(session, sessionId, key, record.version ?? 0);
      return session;
    });
  }

  /**
   * Write `session` under `sessionId`: compare-and-set if this process loaded it under that
   * ID, else an upsert. Rejects with `ConflictError` when the loaded version is gone.
   */
  save(sessionId: string, session: S): Promise<void> {
    let written: Promise<{ version: number }>;
    let key: string;
    try {
      const record = this.recordOf(session);
      const origin = this.loaded.originOf(session, sessionId);
      key = origin ? origin.key : this.keyOf(sessionId);
      written = origin
        ? this.store.set(key, record, { ifVersion: origin.version })
        : this.store.set(key, record);
    } catch (err) {
      return Promise.reject(err);
    }
    return written.then(({ version }) => {
      this.loaded.remember(session, sessionId, key, version);
    });
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
    return this.#call(() => this.store.delete(this.keyOf(sessionId)), false).then(nothing);
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

  /**
   * The stored data as the framework gets it back, checked so nothing in it can throw there.
   * The decoded data is the caller's (a store's `get` never shares its objects), so it is
   * fixed up in place rather than copied.
   */
  #restore(record: SessionRecord<SessionData>): SessionData {
    const { data } = record;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new CorruptError(this.#source, 'the stored session is not an object');
    }
    // A plain object, as every codec decodes one; anything else is copied into one.
    const session = Object.getPrototypeOf(data) === Object.prototype ? data : plainCopy(data);
    // An own `__proto__` field (a codec that keeps one) is never handed to the framework.
    if (Object.hasOwn(session, '__proto__')) Reflect.deleteProperty(session, '__proto__');
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

/** A plain-object copy of `data`'s own string fields. */
function plainCopy(data: object): SessionData {
  const copy: SessionData = {};
  for (const field of Object.keys(data)) {
    if (field !== '__proto__') copy[field] = (data as SessionData)[field];
  }
  return copy;
}

function nothing(): void {}
