import type { AdapterOptions } from '@sessions/core/adapter';

/**
 * Options of {@link FastifySessionStore}: `store` (any `@sessions` store: `MemoryStore`,
 * `SqliteStore`, `RedisStore`, `MongoDBStore`, `DynamoDBStore`...), `defaultTtl`, `userId`,
 * `hashIds` and `clock`, as every framework adapter takes them (see `AdapterOptions` in
 * `@sessions/core/adapter`).
 *
 * @example
 * ```ts
 * const options: FastifyStoreOptions = { store: new SqliteStore(), userId: 'accountId' };
 * ```
 */
export interface FastifyStoreOptions extends AdapterOptions<Record<string, unknown>> {}
