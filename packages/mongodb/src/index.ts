/**
 * `@sessions/mongodb`: a session store on the official `mongodb` driver, for MongoDB and
 * MongoDB-wire servers (FerretDB, Azure Cosmos DB for MongoDB).
 *
 * @example
 * ```ts
 * import { MongoStore } from '@sessions/mongodb';
 * const store = new MongoStore({ url: process.env.MONGODB_URL, expiryMode: 'ttl-index' });
 * ```
 *
 * @packageDocumentation
 */
export type { SessionDocument } from './document.js';
export { documentId, ID_SEPARATOR } from './document.js';
export { EXPIRY_INDEX, TTL_INDEX, USER_INDEX } from './indexes.js';
export { MongoStore } from './mongodb-store.js';
export type { ExpiryMode, MongoStoreOptions } from './options.js';
export { BACKEND_PAYLOAD_LIMIT } from './options.js';
