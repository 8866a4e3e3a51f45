/**
 * `@sessions/fastify`: use any `@sessions` store with @fastify/session.
 *
 * @packageDocumentation
 */
export { FastifySessionStore } from './fastify-store.js';
export { missReason, sessionMissReasons } from './miss-reasons.js';
export type { FastifyStoreOptions } from './options.js';
