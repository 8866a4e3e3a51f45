/**
 * The version each session object was loaded at, so that saving it can be a compare-and-set
 * against exactly that version.
 */

/** Where a session object came from: the session ID it was read or saved under, and the version. */
export interface LoadedVersion {
  /** The session ID (not the store key) the object was read or last saved under. */
  readonly id: string;
  /** The record's version then. */
  readonly version: number;
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
 * loaded.remember(session, 'sid-1', record.version);
 * loaded.versionFor(session, 'sid-1'); // record.version
 * loaded.versionFor(session, 'sid-2'); // undefined: never loaded under this ID
 * ```
 */
export class LoadedVersions {
  readonly #byObject = new WeakMap<object, LoadedVersion>();

  /** `session` now stands for version `version` of session `id` (after a read or a write). */
  remember(session: object, id: string, version: number): void {
    this.#byObject.set(session, { id, version });
  }

  /**
   * The framework built `to` from `from` (express-session's `createSession`, a Session
   * restored from what `get` returned): `to` inherits `from`'s origin, unless it has its own
   * already (a newer one, from a save).
   */
  adopt(from: object, to: object): void {
    if (this.#byObject.has(to)) return;
    const origin = this.#byObject.get(from);
    if (origin) this.#byObject.set(to, origin);
  }

  /** The version `session` was loaded at under `id`, or `undefined` if it never was. */
  versionFor(session: object, id: string): number | undefined {
    const origin = this.#byObject.get(session);
    return origin?.id === id ? origin.version : undefined;
  }
}
