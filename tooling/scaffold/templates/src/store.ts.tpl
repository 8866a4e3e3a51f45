/**
 * The {{name}} session store. Every method of the contract is here and throws
 * `NotImplementedError` until it is written: run `pnpm vitest run` and let the conformance
 * suite show which rule each method still misses (CONTRIBUTING.md, "Adding a backend").
 */
import {
  type DeleteByUserOptions,
  NotImplementedError,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
} from '@sessions/core';
import type { {{Name}}StoreOptions } from './options.js';

/** The name every error of this package carries as `source`. */
const SOURCE = '@sessions/{{name}}';

/**
 * A {@link SessionStore} on {{name}}.
 *
 * @example
 * ```ts
 * import { {{Name}}Store } from '@sessions/{{name}}';
 * const store = new {{Name}}Store({ namespace: 'shop' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 60_000 });
 * await store.close();
 * ```
 */
export class {{Name}}Store<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  /** Namespace, clock, codec and payload limit after defaults; every method reads them. */
  protected readonly options: ResolvedStoreOptions<D>;

  constructor(options: {{Name}}StoreOptions<D> = {}) {
    // Pass the backend's own size limit as a third argument if it has one (DynamoDB: 400 KB).
    this.options = resolveStoreOptions(options, SOURCE);
    this.maxPayloadBytes = this.options.maxPayloadBytes;
  }

  async get(_key: string): Promise<SessionRecord<D> | undefined> {
    throw new NotImplementedError(SOURCE, 'get');
  }

  async set(_key: string, _record: SessionRecord<D>, _options?: SetOptions): Promise<SetResult> {
    throw new NotImplementedError(SOURCE, 'set');
  }

  async touch(_key: string, _expiresAt: number): Promise<boolean> {
    throw new NotImplementedError(SOURCE, 'touch');
  }

  async delete(_key: string): Promise<boolean> {
    throw new NotImplementedError(SOURCE, 'delete');
  }

  async listByUser(_userId: string): Promise<Array<StoredSession<D>>> {
    throw new NotImplementedError(SOURCE, 'listByUser');
  }

  async deleteByUser(_userId: string, _options?: DeleteByUserOptions): Promise<number> {
    throw new NotImplementedError(SOURCE, 'deleteByUser');
  }

  /** Every live session in this namespace (admin views, express-session's `all()`). */
  async list(): Promise<Array<StoredSession<D>>> {
    throw new NotImplementedError(SOURCE, 'list');
  }

  async clear(): Promise<void> {
    throw new NotImplementedError(SOURCE, 'clear');
  }

  /** Physically remove expired records. Keep it when {{name}} has no native expiry. */
  async prune(): Promise<number> {
    throw new NotImplementedError(SOURCE, 'prune');
  }

  async close(): Promise<void> {
    throw new NotImplementedError(SOURCE, 'close');
  }
}
