/**
 * The `Session` object handed to callers, and the envelope the manager stores. The token is
 * kept in a private field: it is readable through `session.token` for the cookie, but never
 * enumerated, serialised to JSON or printed by `console.log`.
 */
import { isDeepStrictEqual } from 'node:util';

/**
 * Client metadata for an "active sessions" page (a user agent, a device label, a coarse
 * location). Supplied by the caller; stored next to the data; never used for security decisions.
 */
export type SessionMeta = Record<string, string>;

/**
 * What the manager stores as a record's `data`. The token is nowhere in it: the record's key
 * is the token's SHA-256 digest.
 */
export interface SessionEnvelope<D> {
  /** The application's session data. */
  data: D;
  /** When the session was created (epoch ms). Never changes. */
  createdAt: number;
  /** The last time a request saved or touched the session (epoch ms). */
  lastSeenAt: number;
  /** Client metadata, when the caller supplied some. */
  meta?: SessionMeta;
}

/**
 * One session, as a request sees it. Change `data`, `userId` or `meta` and call
 * `manager.save(session)`; the manager writes only if something changed (or a touch is due).
 *
 * @typeParam D - the session data type.
 */
export interface Session<D> {
  /** The secret the cookie carries. Hand it to the cookie helpers only; never log it. */
  readonly token: string;
  /** Application state. Mutate it or replace it; changes are detected by comparison. */
  data: D;
  /** The user this session belongs to, once someone logged in. */
  userId: string | undefined;
  /** Client metadata for an "active sessions" page. */
  meta: SessionMeta | undefined;
  /** An opaque, non-secret identifier for this session, as `listForUser` and `revoke` use. */
  readonly handle: string;
  /** Creation time (epoch ms); the absolute timeout counts from here. */
  readonly createdAt: number;
  /** Last time a request saved or touched this session (epoch ms). */
  readonly lastSeenAt: number;
  /** When the session ends unless it is used again (epoch ms). */
  readonly expiresAt: number;
  /** True until the session is first stored (a `create`d session before its `save`). */
  readonly isNew: boolean;
  /** True when `data`, `userId` or `meta` differ from what was loaded or last saved. */
  readonly changed: boolean;
}

/** The manager's bookkeeping for one session object. Internal. */
export interface SessionState {
  /** Identifies the manager that made the session, so another manager refuses it. */
  readonly owner: symbol;
  readonly token: string;
  readonly key: string;
  readonly handle: string;
  readonly createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** The stored version the next compare-and-set expects; 0 while unsaved. */
  version: number;
  /** The owner as last loaded or saved (whose "log out everywhere" the session answers to). */
  storedUserId: string | undefined;
  /** A deep copy of the tracked fields as last loaded or saved; `undefined` if uncopyable. */
  snapshot: TrackedFields | undefined;
  /** Set once the manager destroyed or regenerated this session: it must never be written. */
  destroyed: boolean;
}

interface TrackedFields {
  data: unknown;
  userId: string | undefined;
  meta: SessionMeta | undefined;
}

let readState: (session: ManagedSession<unknown>) => SessionState;

/** The one implementation of {@link Session}. Internal: callers see the interface. */
export class ManagedSession<D> implements Session<D> {
  data: D;
  userId: string | undefined;
  meta: SessionMeta | undefined;
  readonly #state: SessionState;

  static {
    readState = (session) => session.#state;
  }

  constructor(
    state: Omit<SessionState, 'snapshot'>,
    fields: { data: D; userId?: string; meta?: SessionMeta },
  ) {
    this.data = fields.data;
    this.userId = fields.userId;
    this.meta = fields.meta;
    this.#state = { ...state, snapshot: undefined };
    markClean(this);
  }

  get token(): string {
    return this.#state.token;
  }
  get handle(): string {
    return this.#state.handle;
  }
  get createdAt(): number {
    return this.#state.createdAt;
  }
  get lastSeenAt(): number {
    return this.#state.lastSeenAt;
  }
  get expiresAt(): number {
    return this.#state.expiresAt;
  }
  get isNew(): boolean {
    return this.#state.version === 0;
  }
  get changed(): boolean {
    const snapshot = this.#state.snapshot;
    return snapshot === undefined || !isDeepStrictEqual(snapshot, tracked(this));
  }

  /** What `JSON.stringify` shows: everything but the token. */
  toJSON(): Record<string, unknown> {
    return {
      handle: this.handle,
      userId: this.userId,
      createdAt: this.createdAt,
      lastSeenAt: this.lastSeenAt,
      expiresAt: this.expiresAt,
      meta: this.meta,
      data: this.data,
    };
  }

  /** What `console.log` and `util.inspect` show: the same, never the token. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Session ${JSON.stringify({ handle: this.handle, userId: this.userId, expiresAt: this.expiresAt })}`;
  }
}

/** The bookkeeping of a session, or a `TypeError` if it was not made by a manager. */
export function stateOf(session: Session<unknown>): SessionState {
  if (!(session instanceof ManagedSession)) {
    throw new TypeError('[@sessions/core] not a session created by a session manager');
  }
  return readState(session);
}

/** Record the current fields as the clean baseline (after a load or a successful save). */
export function markClean(session: ManagedSession<unknown>): void {
  try {
    readState(session).snapshot = structuredClone(tracked(session));
  } catch {
    // Data structuredClone cannot copy (functions, class instances with private state) cannot
    // be compared either: treat the session as always changed, so a change is never missed.
    // The store's codec then decides whether such data can be stored at all.
    readState(session).snapshot = undefined;
  }
}

function tracked(session: ManagedSession<unknown>): TrackedFields {
  return { data: session.data, userId: session.userId, meta: session.meta };
}

/** Whether `value` has the envelope's shape (the manager's own check of what a store returned). */
export function isSessionEnvelope(value: unknown): value is SessionEnvelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SessionEnvelope<unknown>>;
  return (
    'data' in v &&
    Number.isSafeInteger(v.createdAt) &&
    Number.isSafeInteger(v.lastSeenAt) &&
    (v.meta === undefined || (typeof v.meta === 'object' && v.meta !== null))
  );
}
