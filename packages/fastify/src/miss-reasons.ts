/**
 * Why a request has no session, on the request itself: `request.sessionMiss`, set by the
 * {@link sessionMissReasons} plugin, registered right after @fastify/session.
 */
import type { MissReason } from '@sessions/core';
import { rotatedAwayConflict } from '@sessions/core/adapter';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { FastifySessionStore } from './fastify-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Why this request came without a live session (`no-cookie`, `malformed`, `not-found`,
     * `expired-idle`, `revoked`, `rotated`), set by the `sessionMissReasons` plugin;
     * `undefined` when the request's cookie found its session. For logs and metrics only:
     * never send it to the client.
     */
    sessionMiss?: MissReason | undefined;
  }
}

const SOURCE = '@sessions/fastify';

/** The new sessions of requests whose cookie a login rotated away: never saved nor sent. */
const heldBack = new WeakSet<object>();

/**
 * Keep @fastify/session from saving `session` or sending any cookie for it, clearing included:
 * its `onSend` does nothing for a session without an `encryptedSessionId` (@fastify/session 11).
 * A regenerate replaces the object, so a login of the request's own is saved as usual.
 */
function holdBack(session: unknown): void {
  if (session === null || typeof session !== 'object') return;
  heldBack.add(session);
  Object.defineProperty(session, 'encryptedSessionId', {
    configurable: true,
    enumerable: false,
    value: undefined,
  });
}

/**
 * A Fastify plugin that sets `request.sessionMiss` on every request @fastify/session gave a
 * session. Register it right after @fastify/session (its hook must run right after the
 * plugin's own). A store failure is no miss reason here: the request fails with the store's
 * `UNAVAILABLE` error (a `miss` event says `store-unavailable`).
 *
 * It also keeps a request that was still on its way with the cookie a login just rotated away
 * (`rotated`: the browser already holds the new one) from starting a session: @fastify/session
 * would send it a new cookie, or clear the old one, and that cookie, arriving after the
 * login's, would log the user out. Left unchanged, the request's session is neither stored nor
 * sent; changed, the request fails with a `ConflictError` (map it to 409, as for any conflict)
 * and nothing is written. A request that regenerates (a login of its own) is saved as usual.
 *
 * @example
 * ```ts
 * await app.register(fastifySession, { secret, store: new FastifySessionStore({ store }) });
 * await app.register(sessionMissReasons);
 * app.addHook('preHandler', async (request) => {
 *   if (request.sessionMiss) request.log.info({ reason: request.sessionMiss }, 'session miss');
 * });
 * ```
 */
export const sessionMissReasons: FastifyPluginCallback = (fastify, _options, done) => {
  fastify.decorateRequest('sessionMiss', undefined);
  fastify.addHook('onRequest', (request, _reply, next) => {
    const store = (request as { sessionStore?: unknown }).sessionStore;
    if (store instanceof FastifySessionStore) {
      request.sessionMiss = store.missOf(request);
      if (request.sessionMiss === 'rotated') holdBack((request as { session?: unknown }).session);
    }
    next();
  });
  fastify.addHook('onSend', (request, _reply, payload, next) => {
    const session = (request as { session?: { isModified?(): boolean } }).session;
    if (session && heldBack.has(session) && session.isModified?.()) {
      // Once: the error handler's reply passes through onSend too.
      heldBack.delete(session);
      return next(rotatedAwayConflict(SOURCE));
    }
    next(null, payload);
  });
  done();
};
// As fastify-plugin does: the hook and the decorator apply to the whole app, not one scope.
Object.assign(sessionMissReasons, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@sessions/fastify:miss-reasons',
});

/**
 * Why `request` came without a live session, or `undefined` when its cookie found one (or the
 * {@link sessionMissReasons} plugin is not registered).
 *
 * @example
 * ```ts
 * const reason = missReason(request); // 'revoked', 'rotated', ...
 * ```
 */
export function missReason(request: FastifyRequest): MissReason | undefined {
  return request.sessionMiss;
}
