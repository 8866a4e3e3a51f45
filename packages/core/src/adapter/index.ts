/**
 * `@sessions/core/adapter`: the adapter kit. What every framework store adapter (express-session,
 * @fastify/session...) does with a `@sessions` store, written once: session ID → store key,
 * sessions to records and back (cookie expiry, owner), compare-and-set against the version a
 * request loaded, invalid IDs as misses, and callbacks called outside any promise chain.
 * An adapter built on it keeps only its framework's protocol.
 *
 * Apps do not need this entry: it is for the authors of framework adapters.
 *
 * @example
 * ```ts
 * import { SessionBridge, settle, type NodeCallback } from '@sessions/core/adapter';
 *
 * class KoaSessionStore {
 *   readonly #bridge: SessionBridge;
 *   constructor(options: AdapterOptions) {
 *     this.#bridge = new SessionBridge(options, '@acme/koa-sessions');
 *   }
 *   get(sid: string, callback: NodeCallback<SessionData | null>) {
 *     settle(this.#bridge.load(sid), callback);
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */

export type { MissEvent, MissReason, RevokedEvent, SessionListener } from '../manager/index.js';
export type { NodeCallback } from './callbacks.js';
export { settle } from './callbacks.js';
export type { CookieJson } from './cookie.js';
export { cookieFault, cookieJson, instantOf, withExpiry } from './cookie.js';
export type { LoadedVersion } from './loaded-versions.js';
export { LoadedVersions } from './loaded-versions.js';
export type { AdapterListeners, AdapterOptions, ResolvedAdapterOptions } from './options.js';
export { DEFAULT_SESSION_TTL, resolveAdapterOptions } from './options.js';
export type { OwnerOption } from './owner.js';
export { ownerLookup } from './owner.js';
export { BORN_AT_FIELD } from './restore.js';
export { rotatedAwayConflict } from './rotated-away.js';
export type { ListedSession } from './session-bridge.js';
export { SessionBridge } from './session-bridge.js';
export type { AdapterEventType } from './session-ends.js';
export { isBookkeepingKey } from './session-ends.js';
