/**
 * `@sessions/express`: use any `@sessions` store with express-session.
 *
 * @packageDocumentation
 */
export { ExpressSessionStore } from './express-store.js';
export type { ExpressStoreOptions } from './options.js';
