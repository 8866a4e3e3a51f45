/**
 * The manager's lifecycle events: what they carry, and the emitter. Built for the case where
 * nobody listens: every emit site first asks {@link ManagerEvents.has}, a property read, so a
 * manager without listeners allocates no event object and calls nothing.
 *
 * Events never carry a token: sessions are named by their handle (a one-way digest).
 */
import type { MissReason } from './miss-reasons.js';

/** The store operations a `store-error` event can name. */
export type StoreOperation =
  | 'get'
  | 'set'
  | 'touch'
  | 'delete'
  | 'listByUser'
  | 'deleteByUser'
  | 'clear'
  | 'close';

/** A session, named by its handle (never its token), and its owner. */
export interface SessionRef {
  /** The session's handle: the one-way digest `listForUser` shows and `revoke` takes. */
  handle: string;
  /** The session's owner, when someone is logged in. */
  userId: string | undefined;
}

/** A `conflict` event: a compare-and-set lost to another request. */
export interface ConflictEvent extends SessionRef {
  /** The call that lost: `save` (about to throw `ConflictError`) or an `update` attempt. */
  operation: 'save' | 'update';
}

/** A `rotated` event: `regenerate` moved a session to a new token. */
export interface RotatedEvent extends SessionRef {
  /** The handle of the session it replaced (its token is dead from now on). */
  previousHandle: string;
}

/** A `revoked` event: sessions ended by someone else's hand. */
export interface RevokedEvent {
  /** Whose sessions. */
  userId: string;
  /** `'one'`: `revoke` of one handle; `'all'`: "log out everywhere" (`destroyAllForUser`). */
  scope: 'one' | 'all';
  /** How many sessions ended. */
  count: number;
  /** The revoked session's handle (scope `'one'`). */
  handle?: string;
  /** The handle of the session "log out everywhere else" kept (scope `'all'`). */
  except?: string;
}

/** A `miss` event: a request got no session. */
export interface MissEvent {
  /** Why. */
  reason: MissReason;
  /** The handle of the presented token, when a well-formed one came. */
  handle: string | undefined;
}

/** A `store-error` event: a store call failed (anything but a lost compare-and-set). */
export interface StoreErrorEvent {
  /** The store method that failed. */
  operation: StoreOperation;
  /** What it threw; the manager throws it on, unchanged. */
  error: unknown;
}

/** What each event carries besides its `type`. */
export interface SessionEventMap {
  /** A new session was stored for the first time (by `save`; a regenerate is `rotated`). */
  created: SessionRef;
  /** A request presented a live session (a hit). */
  loaded: SessionRef;
  /** A session was written: new, changed, or touched (every successful write). */
  saved: SessionRef;
  /**
   * A compare-and-set lost to another request: `save` is about to throw `ConflictError`, or one
   * attempt of `update` lost and will be retried (or give up).
   */
  conflict: ConflictEvent;
  /** `regenerate` moved a session to a new token (a login, a privilege change). */
  rotated: RotatedEvent;
  /** `destroy` removed a live session (a logout). */
  destroyed: SessionRef;
  /** Sessions were ended by `revoke` or "log out everywhere". */
  revoked: RevokedEvent;
  /** A request got no session, and why. */
  miss: MissEvent;
  /** A store call failed; the error is rethrown. */
  'store-error': StoreErrorEvent;
}

/** The `type` every event carries. */
export interface TypedEvent<K extends string> {
  /** The event's name. */
  type: K;
}

/** The name of a lifecycle event. */
export type SessionEventType = keyof SessionEventMap;

/**
 * A lifecycle event: `{ type, ...fields }`.
 *
 * @example
 * ```ts
 * manager.on('miss', (event) => metrics.increment(`session.miss.${event.reason}`));
 * ```
 */
export type SessionEvent<K extends SessionEventType = SessionEventType> = {
  [P in K]: TypedEvent<P> & SessionEventMap[P];
}[K];

/**
 * A listener. It runs synchronously inside the request; what it throws (or a promise it returns
 * rejects with) is reported through `onListenerError`, never to the request.
 */
export type SessionListener<K extends SessionEventType = SessionEventType> = (
  event: SessionEvent<K>,
) => unknown;

/** Listeners by event type, as the `on` option takes them. */
export type SessionListeners = { [K in SessionEventType]?: SessionListener<K> };

/** Where a throwing listener is reported. */
export type ListenerErrorHandler = (error: unknown, event: SessionEvent) => void;

/** One warning a minute at most: a listener that throws on every request must not flood logs. */
const WARNING_INTERVAL = 60_000;

/** The emitter of one manager. Internal: the manager exposes `on` and `off`. */
export class ManagerEvents {
  // One array per type, replaced (never mutated) on `on`/`off`, so an emit in progress is not
  // disturbed by a listener that unsubscribes itself. Absent when the type has no listener.
  readonly #listeners: { [K in SessionEventType]?: ReadonlyArray<SessionListener<K>> } = {};
  readonly #onListenerError: ListenerErrorHandler;
  #lastWarning = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(onListenerError: ListenerErrorHandler | undefined, initial?: SessionListeners) {
    this.#onListenerError = onListenerError ?? ((error, event) => this.#warn(error, event));
    if (initial !== undefined) {
      for (const type of Object.keys(initial) as SessionEventType[]) {
        const listener = initial[type];
        if (listener !== undefined) this.on(type, listener as SessionListener);
      }
    }
  }

  /** Whether anyone listens to `type`: ask before building an event. */
  has(type: SessionEventType): boolean {
    return this.#listeners[type] !== undefined;
  }

  on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError('[@sessions/core] a session event listener must be a function');
    }
    const list = (this.#listeners[type] ?? []) as ReadonlyArray<SessionListener<K>>;
    (this.#listeners as Record<string, unknown>)[type] = [...list, listener];
    return () => this.off(type, listener);
  }

  off<K extends SessionEventType>(type: K, listener: SessionListener<K>): void {
    const list = this.#listeners[type] as ReadonlyArray<SessionListener<K>> | undefined;
    if (list === undefined) return;
    const index = list.indexOf(listener);
    if (index < 0) return;
    const rest = list.filter((_, i) => i !== index);
    // Deleted, not emptied: `has` must turn false again so emit sites go back to costing nothing.
    if (rest.length === 0) delete this.#listeners[type];
    else (this.#listeners as Record<string, unknown>)[type] = rest;
  }

  emit(event: SessionEvent): void {
    const list = this.#listeners[event.type] as ReadonlyArray<SessionListener> | undefined;
    if (list === undefined) return;
    for (const listener of list) {
      try {
        const result = listener(event);
        if (isThenable(result)) result.then(undefined, (error) => this.#report(error, event));
      } catch (error) {
        this.#report(error, event);
      }
    }
  }

  #report(error: unknown, event: SessionEvent): void {
    try {
      this.#onListenerError(error, event);
    } catch (again) {
      // The reporter itself failed: the warning is the last place left, and the request goes on.
      this.#warn(again, event);
    }
  }

  #warn(error: unknown, event: SessionEvent): void {
    const now = Date.now();
    if (now - this.#lastWarning < WARNING_INTERVAL) {
      this.#suppressed += 1;
      return;
    }
    const more = this.#suppressed > 0 ? ` (${this.#suppressed} more since the last warning)` : '';
    this.#lastWarning = now;
    this.#suppressed = 0;
    const why = error instanceof Error ? error.message : String(error);
    process.emitWarning(`a "${event.type}" session event listener threw: ${why}${more}`, {
      type: 'SessionListenerWarning',
      code: 'SESSIONS_LISTENER_ERROR',
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
