/**
 * `@sessions/core`: the session store contract, its errors and codecs, the in-memory
 * reference store, and the helpers every store implementation shares.
 *
 * @packageDocumentation
 */
export type { Codec } from './codec.js';
export { jsonCodec, richCodec } from './codec.js';
export type { Deadline, DeadlineQueueOptions } from './deadline-queue.js';
export { DeadlineQueue } from './deadline-queue.js';
export type { SessionErrorCode } from './errors.js';
export {
  ClosedError,
  ConflictError,
  CorruptError,
  InvalidKeyError,
  InvalidRecordError,
  isSessionError,
  NotImplementedError,
  SerializeError,
  SessionError,
  TooLargeError,
  UnavailableError,
} from './errors.js';
export * from './manager/index.js';
export type { MemoryEntry, MemoryStoreOptions } from './memory-store.js';
export { MemoryBackend, MemoryStore } from './memory-store.js';
export type { ResolvedStoreOptions } from './store-kit.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_NAMESPACE,
  deadlineExceeded,
  decodeData,
  encodeData,
  resolveStoreOptions,
  StoreLifecycle,
  toSessionError,
  withDeadline,
} from './store-kit.js';
export type {
  BaseStoreOptions,
  Clock,
  DeleteByUserOptions,
  SessionData,
  SessionRecord,
  SessionStore,
  SetOptions,
  SetResult,
  StoredSession,
} from './types.js';
export {
  assertValidExpiresAt,
  assertValidIfVersion,
  assertValidKey,
  assertValidNamespace,
  assertValidSet,
  assertValidUserId,
  MAX_KEY_LENGTH,
  MAX_USER_ID_LENGTH,
} from './validate.js';
