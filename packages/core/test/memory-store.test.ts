// What the conformance suite cannot see of the memory store: eviction, the prune timer (which
// must never keep a process alive), and memory shared between stores. The contract itself is
// checked by @sessions/conformance (packages/conformance/test/memory-store.test.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { MemoryBackend } from '../src/memory/backend.js';
import { MemoryStore } from '../src/memory/memory-store.js';

const MINUTE = 60_000;

/** A hand-moved clock for the store; vitest's fake timers drive the prune interval. */
function manualClock() {
  let now = Date.now();
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('maxEntries', () => {
  test('evicts the least recently written entries to make room', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, maxEntries: 3, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    for (const key of ['a', 'b', 'c']) await store.set(key, { data: { key }, expiresAt });
    await store.set('a', { data: { key: 'a', again: true }, expiresAt }); // a is now the freshest
    await store.set('d', { data: { key: 'd' }, expiresAt });
    expect([...backend.entries('sessions').keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(await store.get('b')).toBeUndefined();
    await store.close();
  });

  test('a read or a touch keeps an entry: an active session outlives a burst of new visitors', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, maxEntries: 3, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    await store.set('alice', { data: {}, expiresAt, userId: 'alice' });
    await store.set('bob', { data: {}, expiresAt, userId: 'bob' });
    for (let visitor = 0; visitor < 20; visitor++) {
      await store.get('alice');
      await store.touch('bob', expiresAt + visitor);
      await store.set(`anon${visitor}`, { data: {}, expiresAt });
    }
    expect([...backend.entries('sessions').keys()].sort()).toEqual(['alice', 'anon19', 'bob']);
    await store.close();
  });

  test('evicts the entry that expired first, even when it was used last', async () => {
    const clock = manualClock();
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, clock: clock.now, maxEntries: 3, pruneInterval: 0 });
    await store.set('a', { data: {}, expiresAt: clock.now() + 3 * MINUTE });
    await store.set('b', { data: {}, expiresAt: clock.now() + 2 * MINUTE });
    await store.set('c', { data: {}, expiresAt: clock.now() + MINUTE });
    await store.touch('a', clock.now() + 500); // now the first to expire, and the last used
    clock.advance(1_000);
    await store.set('d', { data: {}, expiresAt: clock.now() + MINUTE });
    expect([...backend.entries('sessions').keys()].sort()).toEqual(['b', 'c', 'd']);
    await store.close();
  });

  test('stays within the bound over many evictions, touches and rewrites', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, maxEntries: 100, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    for (let i = 0; i < 5_000; i++) {
      await store.set(`k${i % 300}`, { data: { i }, expiresAt: expiresAt + i });
      if (i % 3 === 0) await store.touch(`k${(i * 7) % 300}`, expiresAt + 2 * i);
      expect(backend.entries('sessions').size).toBeLessThanOrEqual(100);
    }
    const latest = await store.get('k199'); // written last, at i = 4999
    expect(latest?.data).toEqual({ i: 4_999 });
    await store.close();
  });

  test('refuses a maxEntries that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => new MemoryStore({ maxEntries })).toThrow(/maxEntries/);
    }
  });

  test('rewriting an existing key at capacity evicts nothing', async () => {
    const store = new MemoryStore({ maxEntries: 2, pruneInterval: 0 });
    const expiresAt = Date.now() + MINUTE;
    await store.set('a', { data: {}, expiresAt });
    await store.set('b', { data: {}, expiresAt });
    await store.set('b', { data: { n: 2 }, expiresAt });
    expect(await store.get('a')).toBeDefined();
    await store.close();
  });

  test('drops expired entries before evicting live ones', async () => {
    const clock = manualClock();
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, clock: clock.now, maxEntries: 2, pruneInterval: 0 });
    await store.set('old', { data: {}, expiresAt: clock.now() + 1_000 });
    await store.set('live', { data: {}, expiresAt: clock.now() + MINUTE });
    clock.advance(1_000);
    await store.set('new', { data: {}, expiresAt: clock.now() + MINUTE });
    expect([...backend.entries('sessions').keys()].sort()).toEqual(['live', 'new']);
    await store.close();
  });
});

describe('the prune timer', () => {
  test('removes expired entries without any read', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = manualClock();
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, clock: clock.now, pruneInterval: 1_000 });
    await store.set('gone', { data: {}, expiresAt: clock.now() + 500, userId: 'u' });
    await store.set('kept', { data: {}, expiresAt: clock.now() + MINUTE });
    clock.advance(500);
    vi.advanceTimersByTime(1_000);
    expect([...backend.entries('sessions').keys()]).toEqual(['kept']);
    expect(backend.userIndex('sessions').has('u')).toBe(false);
    await store.close();
  });

  test('stops at close(), and does not run with pruneInterval 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = manualClock();
    const backend = new MemoryBackend();
    const closed = new MemoryStore({
      backend,
      namespace: 'closed',
      clock: clock.now,
      pruneInterval: 1_000,
    });
    const untimed = new MemoryStore({
      backend,
      namespace: 'untimed',
      clock: clock.now,
      pruneInterval: 0,
    });
    await closed.set('k', { data: {}, expiresAt: clock.now() + 500 });
    await untimed.set('k', { data: {}, expiresAt: clock.now() + 500 });
    await closed.close();
    clock.advance(500);
    vi.advanceTimersByTime(10_000);
    expect(backend.entries('closed').has('k')).toBe(true);
    expect(backend.entries('untimed').has('k')).toBe(true);
    await untimed.close();
  });

  test("never keeps the process alive (the timer is unref'd)", () => {
    // The built package, as an application would load it; a store left open on purpose.
    const script = `
      import { MemoryStore } from '@sessions/core';
      const store = new MemoryStore({ pruneInterval: 10 });
      await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
      console.log('set');
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('set');
    expect(run.signal, 'the process had to be killed: the timer kept it alive').toBeNull();
    expect(run.status).toBe(0);
  });
});

describe('a shared backend', () => {
  test('stores on one namespace share records and the user index', async () => {
    const backend = new MemoryBackend();
    const first = new MemoryStore({ backend, pruneInterval: 0 });
    const second = new MemoryStore({ backend, pruneInterval: 0 });
    await first.set('k', { data: { n: 1 }, expiresAt: Date.now() + MINUTE, userId: 'alice' });
    expect((await second.listByUser('alice')).map((s) => s.key)).toEqual(['k']);
    expect(await second.deleteByUser('alice')).toBe(1);
    expect(await first.get('k')).toBeUndefined();
    await Promise.all([first.close(), second.close()]);
  });

  test('keeps data encoded, so no caller can reach what is stored', async () => {
    const backend = new MemoryBackend();
    const store = new MemoryStore({ backend, pruneInterval: 0 });
    await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + MINUTE });
    expect(backend.entries('sessions').get('k')?.data).toBe('{"n":1}');
    await store.close();
  });
});
