// The heap behind `maxEntries` eviction, held to what its header promises: entries come out
// by `expiresAt`, a node whose entry was replaced, removed or touched since it was pushed is
// skipped, and compaction keeps every live entry while bounding the stale ones. The store-level
// behaviour is in ../memory-store.test.ts; these checks see the ordering and the bound directly.
import { describe, expect, test } from 'vitest';
import type { MemoryEntry } from '../../src/memory/backend.js';
import { ExpiryHeap } from '../../src/memory/expiry-heap.js';

const entry = (expiresAt: number): MemoryEntry => ({
  data: '{}',
  expiresAt,
  userId: undefined,
  version: 1,
});

const LATER = Number.MAX_SAFE_INTEGER;

/** A heap over `entries`, each pushed once in the map's order. */
function heapOf(entries: Map<string, MemoryEntry>): ExpiryHeap {
  const heap = new ExpiryHeap();
  for (const [key, e] of entries) heap.push(key, e);
  return heap;
}

/**
 * Every key the heap hands out by `now`, first to last, each removed from `entries` once handed
 * out (as eviction removes it). Bounded, so a heap that repeats a key fails instead of hanging.
 */
function drain(heap: ExpiryHeap, entries: Map<string, MemoryEntry>, now = LATER): string[] {
  const out: string[] = [];
  for (let left = entries.size + 1; left > 0; left--) {
    const key = heap.expired(now, (k) => entries.get(k));
    if (key === undefined) break;
    out.push(key);
    entries.delete(key);
  }
  return out;
}

/** The keys of `entries` by `expiresAt`: the order the heap must hand them out in. */
function byExpiry(entries: Map<string, MemoryEntry>): string[] {
  return [...entries].sort(([, a], [, b]) => a.expiresAt - b.expiresAt).map(([key]) => key);
}

/**
 * How many nodes the heap holds, live and stale. `expired` looks up every node it drops, and
 * with nothing stored every node is stale: it drops them all (so this empties the heap).
 */
function nodeCount(heap: ExpiryHeap): number {
  let looked = 0;
  heap.expired(LATER, () => {
    looked++;
    return undefined;
  });
  return looked;
}

/** Distinct expiries in a scrambled order (37 steps around 101, a prime). */
const scrambled = (count: number) => Array.from({ length: count }, (_, i) => ((i * 37) % 101) + 1);

describe('order', () => {
  test('hands entries out by expiresAt, whatever order they were pushed in', () => {
    const entries = new Map(scrambled(64).map((at, i) => [`k${i}`, entry(at)]));
    const expected = byExpiry(entries);
    expect(drain(heapOf(entries), entries)).toEqual(expected);
  });

  test('keeps the order while entries are added, removed and moved between hand-outs', () => {
    const entries = new Map<string, MemoryEntry>();
    const heap = new ExpiryHeap();
    const expiries = scrambled(101);
    for (let step = 0; step < 300; step++) {
      const key = `k${(step * 7) % 23}`;
      const current = entries.get(key);
      const at = (expiries[step % 101] as number) * 1_000 + step; // distinct: no ties to settle
      if (step % 5 === 4) {
        entries.delete(key); // removed: its node goes stale
      } else if (current !== undefined && step % 2 === 0) {
        current.expiresAt = at; // touched: the entry moves, its old node goes stale
        heap.push(key, current);
      } else {
        const replacement = entry(at); // written again: a new entry under the same key
        entries.set(key, replacement);
        heap.push(key, replacement);
      }
      const first = byExpiry(entries)[0];
      expect(
        heap.expired(LATER, (k) => entries.get(k)),
        `after step ${step}`,
      ).toBe(first);
    }
    const expected = byExpiry(entries);
    expect(drain(heap, entries)).toEqual(expected);
  });

  test('says nothing before the first expiry, and hands it out at exactly its expiresAt', () => {
    const entries = new Map([
      ['b', entry(200)],
      ['a', entry(100)],
    ]);
    const heap = heapOf(entries);
    expect(heap.expired(99, (k) => entries.get(k))).toBeUndefined();
    // Expired at `expiresAt` itself, as the store decides visibility (`now >= expiresAt`).
    expect(heap.expired(100, (k) => entries.get(k))).toBe('a');
    expect(drain(heap, entries, 100)).toEqual(['a']);
  });

  test('an empty heap has nothing expired', () => {
    expect(new ExpiryHeap().expired(LATER, () => entry(0))).toBeUndefined();
  });
});

describe('stale nodes', () => {
  test('skips a key written again since: only its new expiry counts', () => {
    const entries = new Map([['k', entry(10)]]);
    const heap = heapOf(entries);
    const again = entry(50);
    entries.set('k', again);
    heap.push('k', again);
    expect(heap.expired(20, (k) => entries.get(k))).toBeUndefined();
    expect(heap.expired(50, (k) => entries.get(k))).toBe('k');
  });

  test('skips a touched entry at its old expiry: the same entry, moved later', () => {
    const touched = entry(10);
    const entries = new Map([['k', touched]]);
    const heap = heapOf(entries);
    touched.expiresAt = 50;
    heap.push('k', touched);
    expect(heap.expired(20, (k) => entries.get(k))).toBeUndefined();
    expect(heap.expired(50, (k) => entries.get(k))).toBe('k');
  });

  test('skips a removed key and hands out the next one', () => {
    const entries = new Map([
      ['gone', entry(10)],
      ['next', entry(20)],
    ]);
    const heap = heapOf(entries);
    entries.delete('gone');
    expect(heap.expired(15, (k) => entries.get(k))).toBeUndefined();
    expect(drain(heap, entries)).toEqual(['next']);
  });

  test('clear() forgets every node, even of entries still stored', () => {
    const entries = new Map([['k', entry(10)]]);
    const heap = heapOf(entries);
    heap.clear();
    expect(heap.expired(LATER, (k) => entries.get(k))).toBeUndefined();
    expect(nodeCount(heap)).toBe(0);
  });
});

describe('compaction', () => {
  /** `live` entries, each touched `touches` times: live + live * touches nodes, most stale. */
  function churned(live: number, touches: number) {
    const entries = new Map(scrambled(live).map((at, i) => [`k${i}`, entry(at)]));
    const heap = heapOf(entries);
    for (let round = 1; round <= touches; round++) {
      let index = 0;
      for (const [key, e] of entries) {
        // Each entry moves somewhere new, and no two share an expiry (no ties to settle).
        e.expiresAt = round * 1_000 + ((index++ * 37 + round * 11) % 101);
        heap.push(key, e);
      }
    }
    return { entries, heap };
  }

  test('keeps every live entry at its current expiry, in order', () => {
    const { entries, heap } = churned(10, 20);
    heap.compact(entries);
    const expected = byExpiry(entries);
    expect(expected).toHaveLength(10);
    expect(drain(heap, entries)).toEqual(expected);
  });

  test('drops the stale nodes once they outnumber the live ones by more than 64', () => {
    // 10 live entries: the heap may hold up to 2 * 10 + 64 = 84 nodes before a rebuild.
    const over = churned(10, 8); // 90 nodes
    over.heap.compact(over.entries);
    expect(nodeCount(over.heap)).toBe(10);
  });

  test('rebuilds no earlier: each rebuild costs a pass over every entry', () => {
    const { entries, heap } = churned(10, 7); // 80 nodes
    for (const [key, e] of [...entries].slice(0, 4)) heap.push(key, e); // 84: at the bound
    heap.compact(entries);
    expect(nodeCount(heap)).toBe(84);
    const past = churned(10, 7);
    for (const [key, e] of [...past.entries].slice(0, 5)) past.heap.push(key, e); // 85
    past.heap.compact(past.entries);
    expect(nodeCount(past.heap)).toBe(10);
  });
});
