/**
 * `@sessions/core/kit`: the store kit. A backend brings its primitives (a {@link StoreDriver});
 * {@link DriverStore} turns them into a full `SessionStore` and owns the shell every store
 * shares: validation, the closed guard, the codec and the size limit, visibility by the
 * application clock, one error-mapping site, one deadline with an `AbortSignal`, the shared
 * options and the background prune.
 *
 * Apps do not need this entry: it is for the authors of stores.
 *
 * @example
 * ```ts
 * import { CONFLICT, DriverStore, type StoreDriver } from '@sessions/core/kit';
 *
 * class AcmeDriver implements StoreDriver {
 *   get(key, op) { return client.get(key, { signal: op.signal }); }
 *   // set, touch, delete, listByUser, deleteByUser, list, clear, close...
 * }
 * export class AcmeStore extends DriverStore {
 *   constructor(options = {}) {
 *     super(options, { source: '@acme/sessions', driver: () => new AcmeDriver() });
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */
export { MAX_KEY_LENGTH, MAX_USER_ID_LENGTH } from '../validate.js';
export { reportToWarnings } from './background.js';
export { deadlineExceeded } from './deadlines.js';
export type {
  Awaitable,
  Conflict,
  Cursor,
  ErrorKind,
  Paged,
  RecordWrite,
  StoreDriver,
  StoredEntry,
  StoredRecord,
} from './driver.js';
export { CONFLICT, more, NextPage } from './driver.js';
export { DriverStore } from './driver-store.js';
export { describeError, isProgrammerError } from './failures.js';
export type { Operation } from './operation.js';
export type {
  DriverFactory,
  DriverStoreSetup,
  InFlightOptions,
  ResolvedStoreOptions,
  StoreSpec,
} from './options.js';
export {
  choiceOption,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_NAMESPACE,
  DEFAULT_OPERATION_TIMEOUT,
  integerOption,
  MAX_TIMER_MS,
  oneOfOptions,
} from './options.js';
export { PruningDriverStore } from './pruning-driver-store.js';
export { type Backoff, retryWithin } from './retry.js';
