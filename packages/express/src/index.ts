/**
 * `@sessions/express`: use any `@sessions` store with express-session.
 *
 * @packageDocumentation
 */
export { ExpressSessionStore } from './express-store.js';
export { missReason } from './miss-reason.js';
export type { ExpressStoreOptions } from './options.js';
export { type SaveBeforeResponse, saveBeforeResponse } from './save-before-response.js';
export { dropSession, errorStatus, type SessionRequest } from './session-errors.js';
