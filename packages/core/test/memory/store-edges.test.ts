// Edges of MemoryStore the conformance suite does not reach: the smallest bound, a bounded
// store's reads, options that are not an object, and where its errors say they come from.
import { describe, expect, test } from 'vitest';
import { MemoryBackend } from '../../src/memory/backend.js';
import { MemoryStore } from '../../src/memory/memory-store.js';

const MINUTE = 60_000;

describe('MemoryStore edges', () => {
  test('maxEntries 1 is a bound: it keeps the last entry written', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, maxEntries: 1, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    await store.set('a', { data: {}, expiresAt });
    await store.set('b', { data: { n: 2 }, expiresAt });
    expect([...backend.entries('sessions').keys()]).toEqual(['b']);
    expect((await store.get('b'))?.data).toEqual({ n: 2 });
    await store.close();
  });

  test('in a bounded store, reading a key never written stores nothing and evicts nothing', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, maxEntries: 2, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    await store.set('a', { data: {}, expiresAt });
    expect(await store.get('missing')).toBeUndefined();
    await store.set('b', { data: {}, expiresAt });
    expect([...backend.entries('sessions').keys()].sort()).toEqual(['a', 'b']);
    expect((await store.list()).map((s) => s.key).sort()).toEqual(['a', 'b']);
    await store.close();
  });

  test('options that are not an object are refused like every store refuses them', () => {
    expect(() => new MemoryStore(null as never)).toThrow(
      new TypeError('[@sessions/core] options must be an object'),
    );
  });

  test('its errors name @sessions/core as their source', async () => {
    const store = new MemoryStore({ pruneInterval: 0 });
    await expect(store.get('')).rejects.toMatchObject({
      code: 'INVALID_KEY',
      source: '@sessions/core',
    });
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({
      code: 'CLOSED',
      source: '@sessions/core',
    });
  });

  test('a set in the past with an ifVersion on a key never written is a CONFLICT', async () => {
    const store = new MemoryStore({ pruneInterval: 0 });
    const past = { data: {}, expiresAt: Date.now() - 1 };
    await expect(store.set('missing', past, { ifVersion: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // ifVersion 0 means "absent": deleting what is absent succeeds and stores nothing.
    await expect(store.set('missing', past, { ifVersion: 0 })).resolves.toEqual({ version: 0 });
    await store.close();
  });
});
