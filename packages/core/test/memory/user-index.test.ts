// The memory backend's user index (userId -> keys), seen through the shared backend as raw
// access sees it: only owned sessions enter it, and a store never fails on an entry the index
// lost track of (an entry written straight into the backend, as raw access writes them).
import { describe, expect, test } from 'vitest';
import { MemoryBackend } from '../../src/memory/backend.js';
import { MemoryStore } from '../../src/memory/memory-store.js';

const MINUTE = 60_000;

describe('the user index', () => {
  test('holds owned sessions only: anonymous ones add nothing to it', async () => {
    const backend = new MemoryBackend();
    for (const maxEntries of [undefined, 10]) {
      const namespace = `bound-${maxEntries}`;
      const store = new MemoryStore({ backend, namespace, maxEntries, pruneInterval: 0 });
      const expiresAt = Date.now() + MINUTE;
      await store.set('anon', { data: {}, expiresAt });
      await store.set('owned', { data: {}, expiresAt, userId: 'u' });
      await store.set('anon', { data: { again: true }, expiresAt });
      const index = backend.userIndex(namespace);
      expect([...index.keys()]).toEqual(['u']);
      expect([...(index.get('u') ?? [])]).toEqual(['owned']);
      await store.delete('anon');
      await store.delete('owned');
      expect(index.size).toBe(0);
      await store.close();
    }
  });

  test('an owned entry missing from the index is still deleted, expired and replaced', async () => {
    let now = Date.now();
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, clock: () => now, pruneInterval: 0 });
    const entries = backend.entries('sessions');
    const stray = (expiresAt: number) => ({ data: '{}', expiresAt, userId: 'u', version: 1 });
    entries.set('deleted', stray(now + MINUTE));
    entries.set('expired', stray(now + 1_000));
    entries.set('replaced', stray(now + MINUTE));
    expect(await store.delete('deleted')).toBe(true);
    await store.set('replaced', { data: { n: 2 }, expiresAt: now + MINUTE, userId: 'v' });
    now += 1_000;
    expect(await store.get('expired')).toBeUndefined();
    expect([...entries.keys()]).toEqual(['replaced']);
    expect((await store.listByUser('v')).map((s) => s.key)).toEqual(['replaced']);
    await store.close();
  });
});
