/**
 * `@sessions/mongodb`: a session store on the official `mongodb` driver, for MongoDB and
 * MongoDB-wire servers (FerretDB, Azure Cosmos DB for MongoDB).
 *
 * @example
 * ```ts
 * import { MongoDBStore } from '@sessions/mongodb';
 * const store = new MongoDBStore({ url: process.env.MONGODB_URL, expiryMode: 'ttl-index' });
 * ```
 *
 * @packageDocumentation
 */
export type { SessionDocument } from './document.js';
export { documentId, ID_SEPARATOR } from './document.js';
export { EXPIRY_INDEX, TTL_INDEX, USER_INDEX } from './indexes.js';
export { MongoDBStore } from './mongodb-store.js';
export type { ExpiryMode, MongoDBStoreOptions } from './options.js';
export { BACKEND_PAYLOAD_LIMIT, DEFAULT_COLLECTION } from './options.js';
