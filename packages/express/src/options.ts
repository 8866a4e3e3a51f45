import type { AdapterOptions } from '@sessions/core/adapter';
import type { SessionData } from 'express-session';

/**
 * Options of {@link ExpressSessionStore}: `store` (any `@sessions` store: `MemoryStore`,
 * `SqliteStore`, `RedisStore`, `MongoDBStore`, `DynamoDBStore`...), `defaultTtl`, `userId`,
 * `hashIds` and `clock`, as every framework adapter takes them (see `AdapterOptions` in
 * `@sessions/core/adapter`).
 *
 * @example
 * ```ts
 * const options: ExpressStoreOptions = { store: new SqliteStore(), userId: 'accountId' };
 * ```
 */
export interface ExpressStoreOptions extends AdapterOptions<SessionData> {}
