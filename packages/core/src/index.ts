/**
 * `@sessions/core`: the session store contract, its errors and codecs, the in-memory
 * reference store and the session manager. Store authors build on `@sessions/core/kit`.
 *
 * @packageDocumentation
 */
export type { Codec, UniversalCodec } from './codec.js';
export { jsonCodec, richCodec } from './codec.js';
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
export type { MemoryEntry } from './memory/backend.js';
export { MemoryBackend } from './memory/backend.js';
export type { MemoryStoreOptions } from './memory/memory-store.js';
export { MemoryStore } from './memory/memory-store.js';
export type {
  BaseStoreOptions,
  Clock,
  DeleteByUserOptions,
  PruningStoreOptions,
  SessionData,
  SessionRecord,
  SessionStore,
  SetOptions,
  SetResult,
  StoredSession,
} from './types.js';
export { MAX_KEY_LENGTH, MAX_USER_ID_LENGTH } from './validate.js';
