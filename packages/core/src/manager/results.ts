/**
 * What the manager's operations take and return. The conflict policy is in these types:
 * a session that no longer exists is an ordinary outcome (`'destroyed'`), a lost race on a
 * changed session is a thrown `ConflictError`.
 */
import type { MissReason } from './miss-reasons.js';
import type { Session, SessionMeta } from './session.js';

/** What {@link SessionManager.create} takes. */
export interface CreateSessionInput<D> {
  /** The initial session data. */
  data: D;
  /** The owner, when the session starts logged in. */
  userId?: string;
  /** Client metadata for an "active sessions" page. */
  meta?: SessionMeta;
}

/**
 * The outcome of {@link SessionManager.save}.
 * - `'saved'`: written (new, changed, or an unchanged session whose touch was due).
 * - `'unchanged'`: nothing needed writing (or a due touch lost to a newer write by another
 *   request, which moved the expiry itself).
 * - `'destroyed'`: the session no longer exists (logged out, revoked, regenerated or expired
 *   since it was loaded); nothing was written and it was not brought back. Send
 *   `clearCookie()`.
 *
 * A changed session that another request saved in the meantime is not a result: `save` throws
 * `ConflictError`, because silently dropping either write would lose an update.
 */
export type SaveResult = {
  /** `'saved'`, `'unchanged'` or `'destroyed'`: see {@link SaveResult}. */
  status: 'saved' | 'unchanged' | 'destroyed';
};

/**
 * The outcome of {@link SessionManager.update}: `'saved'` or `'unchanged'` with the session as
 * stored, or `'destroyed'` when no live session answers to the token.
 */
export type UpdateResult<D> =
  | {
      /** The session was written, or needed no write. */
      status: 'saved' | 'unchanged';
      /** The session as stored. */
      session: Session<D>;
    }
  | {
      /** No live session answers to the token. */
      status: 'destroyed';
      /** Absent: there is no session. */
      session?: undefined;
    };

/**
 * The change {@link SessionManager.update} applies: mutate `data` in place, or return new data.
 * It may run more than once (once per attempt), so it must not have other side effects.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a mutating fn (sync or async) returns nothing.
export type UpdateFn<D> = (data: D, session: Session<D>) => D | void | Promise<D | void>;

/** Options of {@link SessionManager.regenerate}. */
export interface RegenerateOptions {
  /** The owner from now on (a login sets it). Default: unchanged. */
  userId?: string;
  /**
   * Start the absolute timeout again from now. Default: `true` when `userId` is given (a login
   * or re-authentication), `false` otherwise (a privilege change must not extend the lifetime).
   */
  restartLifetime?: boolean;
}

/** Options of {@link SessionManager.destroyAllForUser}. */
export interface DestroyAllOptions<D> {
  /** Keep this session: "log out everywhere else". */
  except?: Session<D>;
}

/** Options of {@link SessionManager.listForUser}. */
export interface ListForUserOptions<D> {
  /** The session making the request, flagged `current` in the list. */
  current?: Session<D>;
}

/**
 * One of a user's sessions as an "active sessions" page shows it. Holds no token: `handle` is
 * a one-way digest that only {@link SessionManager.revoke} understands.
 */
export interface SessionDescription {
  /** Opaque and non-secret: pass it to `revoke(userId, handle)`. */
  handle: string;
  /** When the session was created (epoch ms). */
  createdAt: number;
  /** When it was last used (epoch ms, to within the touch threshold). */
  lastSeenAt: number;
  /** When it ends unless used again (epoch ms). */
  expiresAt: number;
  /** The client metadata the session was created with. */
  meta?: SessionMeta;
  /** True for the session given as `current`. */
  current: boolean;
}

/**
 * The outcome of {@link SessionManager.loadWithReason}: the live session, or why there is none.
 * The reason is for logs, metrics and the user's own diagnostics page: never send it to the
 * client as a response difference (it would tell a token guesser which tokens once existed).
 */
export type LoadResult<D> = LoadHit<D> | LoadMiss;

/** A {@link LoadResult} that found the session. */
export interface LoadHit<D> {
  /** The live session. */
  session: Session<D>;
  /** Absent on a hit. */
  reason?: undefined;
}

/** A {@link LoadResult} that found none. */
export interface LoadMiss {
  /** Absent on a miss. */
  session?: undefined;
  /** Why there is no session. */
  reason: MissReason;
}
