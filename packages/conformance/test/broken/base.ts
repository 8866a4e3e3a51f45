/**
 * Deliberately broken stores: the memory store with one contract rule broken each. The suite
 * must catch every one of them; broken-stores.test.ts proves it does.
 */

import {
  memoryRaw,
  type RawAccess,
  type StoreFactory,
  type StoreFactoryContext,
} from '@sessions/conformance';
import {
  type DeleteByUserOptions,
  MemoryBackend,
  MemoryStore,
  type MemoryStoreOptions,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
} from '@sessions/core';

/** What a broken store's builder gets: the suite's context, the shared backend, a healthy store. */
export interface BuildContext extends StoreFactoryContext {
  backend: MemoryBackend;
  /** A correct memory store for this context (options override the context's). */
  healthy(overrides?: MemoryStoreOptions<unknown>): MemoryStore<unknown>;
}

/** One broken store and the checks expected to catch it. */
export interface BrokenStore {
  /** What is broken, as a sentence. */
  name: string;
  /** Id prefixes of checks of which at least one must fail. */
  caughtBy: string[];
  build(context: BuildContext): SessionStore<unknown>;
  /** Raw access, when the broken store keeps its entries elsewhere than the context says. */
  raw?(context: BuildContext): RawAccess;
}

/** Build a suite factory for a broken store, on its own memory backend. */
export function brokenFactory(broken: BrokenStore): StoreFactory {
  const backend = new MemoryBackend();
  const context = (ctx: StoreFactoryContext): BuildContext => ({
    ...ctx,
    backend,
    healthy: (overrides = {}) =>
      new MemoryStore<unknown>({
        backend,
        namespace: ctx.namespace,
        clock: ctx.clock,
        codec: ctx.codec,
        pruneInterval: 0,
        ...overrides,
      }),
  });
  return {
    name: broken.name,
    capabilities: { nativeExpiry: 'none' },
    create: (ctx) => broken.build(context(ctx)),
    raw: (_store, ctx) => broken.raw?.(context(ctx)) ?? memoryRaw(backend, ctx.namespace),
  };
}

/** Forwards every call to `inner`; a broken store overrides the one method it breaks. */
export class DelegatingStore implements SessionStore<unknown> {
  maxPayloadBytes: number;

  constructor(protected readonly inner: SessionStore<unknown>) {
    this.maxPayloadBytes = inner.maxPayloadBytes;
  }

  get(key: string): Promise<SessionRecord<unknown> | undefined> {
    return this.inner.get(key);
  }
  set(key: string, record: SessionRecord<unknown>, options?: SetOptions): Promise<SetResult> {
    return this.inner.set(key, record, options);
  }
  touch(key: string, expiresAt: number): Promise<boolean> {
    return this.inner.touch(key, expiresAt);
  }
  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }
  listByUser(userId: string): Promise<Array<StoredSession<unknown>>> {
    return this.inner.listByUser(userId);
  }
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.inner.deleteByUser(userId, options);
  }
  list(): Promise<Array<StoredSession<unknown>>> {
    if (!this.inner.list) throw new Error('the inner store has no list()');
    return this.inner.list();
  }
  clear(): Promise<void> {
    return this.inner.clear();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  prune(): Promise<number> {
    if (!this.inner.prune) throw new Error('the inner store has no prune()');
    return this.inner.prune();
  }
}

/** Build a delegating store whose listed methods are replaced. */
export function override(
  inner: SessionStore<unknown>,
  methods: Partial<SessionStore<unknown>>,
): SessionStore<unknown> {
  const store = new DelegatingStore(inner);
  return Object.assign(store, methods);
}
