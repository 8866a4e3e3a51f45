/** Raw access for the in-memory store: the reference for what every backend's RawAccess does. */
import type { MemoryBackend, MemoryEntry } from '@sessions/core';
import type { RawAccess } from './types.js';

/**
 * {@link RawAccess} over one namespace of a `MemoryBackend` from `@sessions/core`.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend();
 * describeStore({
 *   name: 'memory',
 *   capabilities: { nativeExpiry: 'none' },
 *   create: ({ namespace, clock, codec }) => new MemoryStore({ backend, namespace, clock, codec }),
 *   raw: (_store, { namespace }) => memoryRaw(backend, namespace),
 * });
 * ```
 */
export function memoryRaw(backend: MemoryBackend, namespace: string): RawAccess {
  const entries = (): Map<string, MemoryEntry> => backend.entries(namespace);
  return {
    async read(key) {
      const entry = entries().get(key);
      // A copy, so a check holding it sees what was stored then, not what is stored later.
      return entry ? { ...entry } : undefined;
    },
    async writePayload(key, payload, expiresAt) {
      entries().set(key, { data: payload, expiresAt, userId: undefined, version: 1 });
    },
    async dump() {
      return JSON.stringify([...entries()]);
    },
  };
}
