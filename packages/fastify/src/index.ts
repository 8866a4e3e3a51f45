/**
 * `@sessions/fastify`: use any `@sessions` store with @fastify/session.
 *
 * @packageDocumentation
 */
export { FastifySessionStore } from './fastify-store.js';
export type { FastifyStoreOptions } from './options.js';
