/**
 * Why a request has no session, on the request itself: `request.sessionMiss`, set by the
 * {@link sessionMissReasons} plugin, registered right after @fastify/session.
 */
import type { MissReason } from '@sessions/core';
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

/**
 * A Fastify plugin that sets `request.sessionMiss` on every request @fastify/session gave a
 * session. Register it right after @fastify/session (its hook must run right after the
 * plugin's own). A store failure is no miss reason here: the request fails with the store's
 * `UNAVAILABLE` error (a `miss` event says `store-unavailable`).
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
    if (store instanceof FastifySessionStore) request.sessionMiss = store.missOf(request);
    next();
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
