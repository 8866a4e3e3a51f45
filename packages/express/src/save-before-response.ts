/**
 * The middleware that makes express-session's automatic save part of the response: a save
 * that fails is an error response, never a 200 for data that was not stored.
 */

import type { ServerResponse } from 'node:http';
import { SerializeError } from '@sessions/core';
import { rotatedAwayConflict } from '@sessions/core/adapter';
import type { Session, SessionData, Store } from 'express-session';
import { sessionFingerprint } from './fingerprint.js';
import { HeldResponse } from './held-response.js';
import { dropSession, errorStatus, type SessionRequest } from './session-errors.js';

const SOURCE = '@sessions/express';

/**
 * The middleware {@link saveBeforeResponse} returns: an Express middleware (typed on Node's
 * request and response, so that using it needs no Express type package).
 *
 * @example
 * ```ts
 * const guard: SaveBeforeResponse = saveBeforeResponse();
 * app.use(guard);
 * ```
 */
export type SaveBeforeResponse = (
  req: SessionRequest,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

type SaveFunction = (this: Session, callback?: (err?: unknown) => void) => Session;

/**
 * Save the session before the response goes out, and answer an error when the save fails.
 * Mount it right after `session()`.
 *
 * express-session saves a changed session at the end of the request, after it has sent the
 * response's head: a save that fails (a `CONFLICT` with a concurrent request or a logout, an
 * outage, a session too large) still answers 200 and stores nothing. With this middleware,
 * when a handler changed the session (its data or its ID), the response is held at the moment
 * its head would go out (`res.end`, or the first `res.write`, `res.writeHead` or
 * `res.flushHeaders` of a streamed response) and the session is saved first:
 *
 * - success: the response goes out as written, with express-session's cookie; express-session
 *   does not write the session a second time;
 * - failure: the held response is dropped (its status and the headers set after this
 *   middleware), the session is dropped (no `Set-Cookie` for a session that was not stored,
 *   nothing written after), and the error goes to `next(err)` with `err.status` set (when it
 *   has none): `409` for `CONFLICT`, `503` for `UNAVAILABLE`, `500` for `TOO_LARGE` and
 *   `SERIALIZE` (see {@link errorStatus}). Your error handler answers; Express's default one
 *   answers with that status.
 *
 * A session express-session could not compare (a `BigInt` or a cycle in it, on which its own
 * hashing throws and the request hangs) is refused the same way, as `SERIALIZE`.
 *
 * A request whose cookie was rotated away while it was on its way (`req.sessionMiss` is
 * `rotated`: a login or privilege change on this browser regenerated the session within the
 * last minute, so the browser holds the successor) never starts a session of its own: its
 * cookie, arriving after the login's, would replace it, and the user would be logged out. Left
 * unchanged, the session express-session started for it is dropped (no `Set-Cookie`, nothing
 * stored, even with `saveUninitialized: true`); changed, the request fails with a
 * `ConflictError` (409) and nothing is written, unless the handler regenerated it (a login of
 * its own). This needs the store's miss reasons: {@link ExpressSessionStore} with
 * `missReasons` on, as by default.
 *
 * Requests that leave the session unchanged are not held: express-session then only moves
 * the expiry (`touch`), or saves it unchanged with `resave: true` or `saveUninitialized: true`;
 * no data can be lost there, and such a write's failure still reaches your error handler
 * after the response, as express-session reports it.
 *
 * Works with any express-session store; with {@link ExpressSessionStore}, saves of sessions
 * this process loaded are compare-and-set, so concurrent changes are 409s, never lost.
 *
 * @example
 * ```ts
 * app.use(session({ store: new ExpressSessionStore({ store }), secret, resave: false, saveUninitialized: false }));
 * app.use(saveBeforeResponse());
 * app.post('/cart', (req, res) => {
 *   req.session.cart = [...(req.session.cart ?? []), req.body.sku];
 *   res.json({ cart: req.session.cart }); // sent only once the cart is stored, else a 409/503
 * });
 * ```
 */
export function saveBeforeResponse(): SaveBeforeResponse {
  return function saveBeforeResponse(req, res, next) {
    // No session here (cookie path mismatch, store disconnected): nothing to guard.
    if (!req.session || !req.sessionStore) return next();
    const startId = req.sessionID;
    const startPrint = sessionFingerprint(req.session);
    const rotatedAway = (req as { sessionMiss?: unknown }).sessionMiss === 'rotated';
    new HeldResponse(res, (held) => {
      const session = req.session as Session | undefined;
      if (!session) return false; // destroyed, or dropped: nothing to save
      const print = sessionFingerprint(session);
      const unchanged = print !== undefined && print === startPrint;
      if (rotatedAway && req.sessionID === startId) {
        dropSession(req);
        if (unchanged) return false;
        setImmediate(() => {
          held.discard();
          next(withStatus(rotatedAwayConflict(SOURCE)));
        });
        return true;
      }
      if (unchanged && req.sessionID === startId) return false;
      saveNow(req as SessionRequest & { sessionStore: Store }, session, print, (err) => {
        if (err === undefined) return held.release();
        held.discard();
        dropSession(req);
        next(withStatus(err));
      });
      return true;
    });
    next();
  };
}

/**
 * Save `session` as express-session would at the end of the request (after moving its cookie
 * expiry, as express-session's end does), then let express-session's own save of the very same
 * data be a no-op. `done` runs once, outside any promise chain.
 */
function saveNow(
  req: SessionRequest & { sessionStore: Store },
  session: Session,
  print: string | undefined,
  done: (err?: unknown) => void,
): void {
  let settled = false;
  const finish = (err?: unknown) => {
    if (settled) return;
    settled = true;
    setImmediate(done, err);
  };
  if (print === undefined) {
    finish(
      new SerializeError(
        SOURCE,
        'the session holds a value express-session cannot hash (a BigInt, or a cycle)',
      ),
    );
    return;
  }
  const id = req.sessionID as string;
  try {
    session.touch();
    req.sessionStore.set(id, session as Session & SessionData, (err?: unknown) => {
      if (err) return finish(err);
      skipResave(session, id, print);
      finish();
    });
  } catch (err) {
    finish(err);
  }
}

/**
 * express-session saves a changed session again at its end (the save just done is not its
 * own, and a regenerated session never counts as saved there). Make that save a no-op while
 * the session is still what was stored; a change made after (a handler still streaming) is
 * saved by express-session as usual.
 */
function skipResave(session: Session, id: string, print: string): void {
  const save = session.save as SaveFunction;
  Object.defineProperty(session, 'save', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function saveIfChanged(this: Session, callback?: (err?: unknown) => void) {
      if (this.id === id && sessionFingerprint(this) === print) {
        if (callback) setImmediate(callback);
        return this;
      }
      return save.call(this, callback);
    },
  });
}

/** `err` with the status an error handler should answer, unless it carries one already. */
function withStatus(err: unknown): unknown {
  if (err === null || typeof err !== 'object') return err;
  const carried = err as { status?: unknown };
  if (carried.status === undefined && Object.isExtensible(err)) {
    Object.defineProperty(err, 'status', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: errorStatus(err),
    });
  }
  return err;
}
