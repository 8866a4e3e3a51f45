/**
 * How an adapter's sessions end, and how a request learns why it has none: miss reasons,
 * "log out everywhere" and the successors of a regenerate. Built from the session manager's
 * own pieces (its tombstones, its per-user revocation mark and the rule that reads it), over a
 * manager context of the adapter's store, so the adapters and the manager cannot drift apart.
 *
 * What it costs, on top of the framework's own store calls:
 * - a hit: nothing (one `get`, as before);
 * - a miss whose session ID the store does not know: one `get` (its tombstone), unless
 *   `missReasons: false`;
 * - a regenerate of a loaded session: one tombstone `set` (`rotated`); when the old session had
 *   an owner, one `get` of the owner's mark after the successor's first owned write;
 * - `destroyAllForUser`: the mark (one `get`, one `set`), a `listByUser` and one tombstone
 *   `set` per session it ends, then the `deleteByUser`.
 */
import { ConflictError, isSessionError } from '../errors.js';
import { callStore, createContext, handleOf, type ManagerContext } from '../manager/context.js';
import type { SessionEventType, SessionListener } from '../manager/events.js';
import {
  explainNotFound,
  type MissReason,
  type TombstoneReason,
  tombstoneKey,
  writeTombstone,
} from '../manager/miss-reasons.js';
import { DEFAULT_ABSOLUTE_TIMEOUT, resolveManagerOptions } from '../manager/options.js';
import { revocationMarkKey, successorSurvives } from '../manager/revocation-mark.js';
import { endUserSessions } from '../manager/user-sessions.js';
import type { SessionStore } from '../types.js';
import { assertValidUserId } from '../validate.js';
import type { LoadedVersion } from './loaded-versions.js';
import type { ResolvedAdapterOptions } from './options.js';

/** The adapter events: a subset of the manager's, with the same shapes. */
export type AdapterEventType = Extract<SessionEventType, 'miss' | 'revoked'>;

/** A regenerated session's predecessor, as far as "log out everywhere" is concerned. */
interface Lineage {
  /** The predecessor's stored owner: whose revocation mark decides. */
  owner: string;
  /** When the predecessor's lineage began. */
  bornAt: number;
  /** The predecessor's handle (the mark may spare it). */
  handle: string;
  /** The predecessor was already gone when the regenerate deleted it: nothing to carry on. */
  gone: boolean;
}

/** The reserved key prefixes of the manager's bookkeeping records: never a framework session. */
const RESERVED_PREFIXES = [tombstoneKey(''), revocationMarkKey('').replace(/:.*$/, ':')];

/** True when `key` names a tombstone or a revocation mark rather than a session. */
export function isBookkeepingKey(key: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The session ends of one adapter. Internal to the kit: {@link SessionBridge} exposes it. */
export class SessionEnds {
  readonly #ctx: ManagerContext;
  readonly #source: string;
  /** Successors of a regenerate of an owned session, until a write puts them in the user index. */
  readonly #successors = new WeakMap<object, Lineage>();

  constructor(options: ResolvedAdapterOptions<unknown>, source: string) {
    this.#source = source;
    this.#ctx = createContext(
      resolveManagerOptions({
        store: options.store as SessionStore<unknown>,
        clock: options.clock,
        hashTokens: options.hashIds,
        missReasons: options.missReasons,
        rotationGrace: options.rotationGrace,
        // A mark outlives every session it concerns: the adapters' sessions have no absolute
        // timeout, so it lives for the longer of a manager's default and the adapter's TTL.
        absoluteTimeout: Math.max(DEFAULT_ABSOLUTE_TIMEOUT, options.defaultTtl),
        ...(options.on === undefined ? {} : { on: options.on }),
        ...(options.onListenerError === undefined
          ? {}
          : { onListenerError: options.onListenerError }),
      }),
    );
  }

  /** The handle of a store key: the SHA-256 of the session ID, whatever `hashIds` says. */
  handleOf(key: string): string {
    return handleOf(this.#ctx, key);
  }

  /** Listen to an adapter event; returns the function that stops listening. */
  on<K extends AdapterEventType>(type: K, listener: SessionListener<K>): () => void {
    return this.#ctx.events.on(type, listener);
  }

  /** Stop a listener added with {@link on}. */
  off<K extends AdapterEventType>(type: K, listener: SessionListener<K>): void {
    this.#ctx.events.off(type, listener);
  }

  /** Report a miss (to `miss` listeners) and return its reason. */
  miss(reason: MissReason, handle?: string): MissReason {
    if (this.#ctx.events.has('miss')) this.#ctx.events.emit({ type: 'miss', reason, handle });
    return reason;
  }

  /** Why the store knew nothing under `key`: its tombstone says, else `not-found`. */
  async notFound(key: string): Promise<MissReason> {
    const handle = this.handleOf(key);
    return this.miss(await explainNotFound(this.#ctx, handle), handle);
  }

  /** A failed read: `store-unavailable` when the store is down, reported; nothing else is a miss. */
  failedRead(err: unknown, key: string | undefined): void {
    if (isSessionError(err, 'UNAVAILABLE') || isSessionError(err, 'CLOSED')) {
      this.miss('store-unavailable', key === undefined ? undefined : this.handleOf(key));
    }
  }

  /**
   * The session loaded as `predecessor` was regenerated into `successor`; its delete came back
   * `removed`. Leaves a `rotated` tombstone for the old ID, and, when the old session had an
   * owner, ties the successor to it so that its first owned write checks the owner's mark.
   */
  async rotated(
    predecessor: LoadedVersion,
    owner: string | undefined,
    successor: object,
    removed: boolean,
  ): Promise<void> {
    const handle = this.handleOf(predecessor.key);
    if (owner !== undefined) {
      this.#successors.set(successor, {
        owner,
        // Owned only since this request: its owned lineage began now.
        bornAt: predecessor.bornAt ?? this.#ctx.opts.clock(),
        handle,
        gone: !removed,
      });
    }
    if (removed && this.#ctx.opts.rotationGrace > 0) {
      await this.#tombstone(
        handle,
        'rotated',
        this.#ctx.opts.clock() + this.#ctx.opts.rotationGrace,
      );
    }
  }

  /**
   * Before a write of `session`: a successor of a session that was already gone is refused,
   * as the manager's regenerate refuses to carry it on.
   */
  checkBeforeWrite(session: object): void {
    if (this.#successors.get(session)?.gone) throw this.#revokedError();
  }

  /**
   * After a write of `session` under `key`: a successor whose predecessor "log out everywhere"
   * covers is removed again (the mark's rule, revocation-mark.ts), and the save fails with a
   * `ConflictError`. Once a write stored it with an owner, it is in the user index, where any
   * later "log out everywhere" finds it: the tie is dropped.
   */
  async checkAfterWrite(session: object, key: string, owned: boolean, expiresAt: number) {
    const lineage = this.#successors.get(session);
    if (lineage === undefined) return;
    const handle = this.handleOf(key);
    const predecessor = { createdAt: lineage.bornAt, handle: lineage.handle };
    if (await successorSurvives(this.#ctx, lineage.owner, predecessor, handle)) {
      if (owned) this.#successors.delete(session);
      return;
    }
    lineage.gone = true;
    await callStore(this.#ctx, undefined, 'delete', () => this.#ctx.store.delete(key));
    await this.#tombstone(handle, 'revoked', expiresAt);
    throw this.#revokedError();
  }

  /**
   * "Log out everywhere (else)", as the manager does it (`endUserSessions`). `exceptKey`: the
   * store key of the session to keep.
   */
  async destroyAllForUser(userId: string, exceptKey: string | undefined): Promise<number> {
    assertValidUserId(userId, this.#source);
    const except =
      exceptKey === undefined ? undefined : { key: exceptKey, handle: this.handleOf(exceptKey) };
    return endUserSessions(this.#ctx, userId, except);
  }

  #tombstone(handle: string, reason: TombstoneReason, expiresAt: number): Promise<void> {
    return writeTombstone(this.#ctx, handle, reason, expiresAt);
  }

  #revokedError(): ConflictError {
    return new ConflictError(
      this.#source,
      '"log out everywhere" ended the session this one was regenerated from; it was not kept',
    );
  }
}
