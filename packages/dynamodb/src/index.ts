/**
 * `@sessions/dynamodb`: a session store on Amazon DynamoDB (AWS SDK v3), with conditional
 * writes for compare-and-set, the application clock for visibility, DynamoDB's TTL for
 * garbage collection, and a global secondary index for the user index.
 *
 * @packageDocumentation
 */
export { DynamoDBStore } from './dynamodb-store.js';
export { ATTR, DYNAMODB_ITEM_LIMIT, numberSize, worstCaseOverhead } from './item.js';
export type { DynamoDBStoreOptions } from './options.js';
export {
  boundedClientConfig,
  DEFAULT_TABLE_NAME,
  DEFAULT_TABLE_WAIT_TIMEOUT_MS,
  DEFAULT_USER_INDEX_NAME,
} from './options.js';
export { TTL_ATTRIBUTE, tableDefinition } from './table.js';
