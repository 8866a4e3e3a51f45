// MemoryStore against the raw work it wraps: a Map holding the same encoded copy.
import { jsonCodec, MemoryStore } from '@sessions/core';
import { type BenchTarget, runStoreBench, storeTarget } from '../src/index.js';

/** A plain Map doing the same copy (encode on write, decode on read) and the expiry check. */
function mapTarget(): BenchTarget {
  const map = new Map<string, { text: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = map.get(key);
      return entry && Date.now() < entry.expiresAt ? jsonCodec.decode(entry.text) : undefined;
    },
    async set(key, data, expiresAt) {
      map.set(key, { text: jsonCodec.encode(data), expiresAt });
    },
    async touch(key, expiresAt) {
      const entry = map.get(key);
      if (entry) entry.expiresAt = expiresAt;
      return entry !== undefined;
    },
    async delete(key) {
      return map.delete(key);
    },
  };
}

const store = new MemoryStore();
await runStoreBench({ title: 'memory', subject: storeTarget(store), raw: mapTarget() });
await store.close();
