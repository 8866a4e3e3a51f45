/**
 * The in-memory reference store: one process (its backend is that process's memory), raw
 * access straight to the `MemoryBackend` the store writes into.
 */
import { MemoryBackend, MemoryStore } from '@sessions/core';
import type { SoakBackend } from './types.js';

// The one backend of this worker process: the store writes it, the probe reads it.
let shared: MemoryBackend | undefined;
function backend(): MemoryBackend {
  shared ??= new MemoryBackend();
  return shared;
}

/** The memory backend. */
export const memoryBackend: SoakBackend = {
  name: 'memory',
  processes: 1,
  unavailable: () => undefined,
  deploy: async () => ({ connection: {}, stop: async () => {} }),
  async openRaw(_connection, namespace) {
    const entries = backend().entries(namespace);
    const index = backend().userIndex(namespace);
    return {
      async read(keys) {
        const found = new Map<string, string>();
        for (const key of keys) {
          const entry = entries.get(key);
          if (entry) found.set(key, entry.data);
        }
        return found;
      },
      async storage() {
        let indexed = 0;
        for (const keys of index.values()) indexed += keys.size;
        return { entries: entries.size, users: index.size, indexed };
      },
      close: async () => {},
    };
  },
  openStore: async (_connection, namespace) => new MemoryStore({ backend: backend(), namespace }),
};
