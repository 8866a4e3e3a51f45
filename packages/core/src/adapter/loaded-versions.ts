/**
 * The version each session object was loaded at, so that saving it can be a compare-and-set
 * against exactly that version.
 */

/**
 * Where a session object came from: the session ID it was read or saved under, its store key
 * (kept so that saving or touching a loaded session does not hash its ID again), and the
 * version.
 */
export interface LoadedVersion {
  /** The session ID (not the store key) the object was read or last saved under. */
  readonly id: string;
  /** The store key of `id`. */
  readonly key: string;
  /** The record's version then. */
  readonly version: number;
  /**
   * When the session's owned lineage began (epoch ms), as the record says; `undefined` for a
   * session stored without an owner. Compared with a "log out everywhere" mark when the
   * session is regenerated (see session-ends.ts).
   */
  readonly bornAt: number | undefined;
}

/** A {@link LoadedVersion} as kept here: a save moves its version in place. */
interface Origin {
  id: string;
  key: string;
  version: number;
  bornAt: number | undefined;
}

/**
 * Remembers, per session object, the ID and version it was loaded (or last saved) at.
 *
 * Keyed by the object itself (a `WeakMap`: nothing is kept once the framework drops the
 * object), and answering only for the ID it was loaded under: an object reused under another
 * session ID (a regenerated session built from the old one's fields, an app calling
 * `set(otherId, loaded)`) is a session this process never loaded, never a compare-and-set
 * against another session's version.
 *
 * @example
 * ```ts
 * const loaded = new LoadedVersions();
 * loaded.remember(session, 'sid-1', hashSessionToken('sid-1'), record.version);
 * loaded.versionFor(session, 'sid-1'); // record.version
 * loaded.versionFor(session, 'sid-2'); // undefined: never loaded under this ID
 * ```
 */
export class LoadedVersions {
  readonly #byObject = new WeakMap<object, Origin>();

  /**
   * `session` now stands for version `version` of session `id`, stored under `key` (after a
   * read or a write), a lineage begun at `bornAt`. An object already known under `id` has its
   * version moved in place.
   */
  remember(session: object, id: string, key: string, version: number, bornAt?: number): void {
    const origin = this.#byObject.get(session);
    if (origin !== undefined && origin.id === id) origin.version = version;
    else this.#byObject.set(session, { id, key, version, bornAt });
  }

  /**
   * The framework built `to` from `from` (express-session's `createSession`, a Session
   * restored from what `get` returned): `to` inherits `from`'s origin, unless it has its own
   * already (a newer one, from a save).
   */
  adopt(from: object, to: object): void {
    if (this.#byObject.has(to)) return;
    const origin = this.#byObject.get(from);
    // A copy: a later save of `to` moves only `to`'s version.
    if (origin) this.#byObject.set(to, { ...origin });
  }

  /** Where `session` was loaded from under `id`, or `undefined` if it never was. */
  originOf(session: object, id: string): LoadedVersion | undefined {
    const origin = this.#byObject.get(session);
    return origin?.id === id ? origin : undefined;
  }

  /** The version `session` was loaded at under `id`, or `undefined` if it never was. */
  versionFor(session: object, id: string): number | undefined {
    return this.originOf(session, id)?.version;
  }
}
