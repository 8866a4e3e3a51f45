/**
 * The entry that expires first, in O(log n): what `maxEntries` evicts before any live entry.
 * Entries are pushed again when their expiry moves; a node whose entry has since been replaced,
 * removed or touched is stale and skipped (lazy deletion), and the heap is rebuilt when stale
 * nodes outnumber live ones, so it never grows past twice the entries.
 */
import type { MemoryEntry } from './backend.js';

interface Node {
  key: string;
  entry: MemoryEntry;
  expiresAt: number;
}

/** A binary min-heap of entries by `expiresAt`. */
export class ExpiryHeap {
  #nodes: Node[] = [];

  /** Record `entry` (new, or with a new `expiresAt`) under `key`. */
  push(key: string, entry: MemoryEntry): void {
    this.#nodes.push({ key, entry, expiresAt: entry.expiresAt });
    this.#up(this.#nodes.length - 1);
  }

  /**
   * The key of the entry that expires first, if it has expired by `now`; stale nodes are
   * dropped on the way. `current` says what is stored under a key now.
   */
  expired(now: number, current: (key: string) => MemoryEntry | undefined): string | undefined {
    for (;;) {
      const top = this.#nodes[0];
      if (top === undefined) return undefined;
      if (current(top.key) === top.entry && top.entry.expiresAt === top.expiresAt) {
        return top.expiresAt <= now ? top.key : undefined;
      }
      this.#pop();
    }
  }

  /** Rebuild from the live entries when stale nodes have piled up (touches, rewrites). */
  compact(entries: ReadonlyMap<string, MemoryEntry>): void {
    if (this.#nodes.length <= 2 * entries.size + 64) return;
    this.#nodes = [];
    for (const [key, entry] of entries) this.push(key, entry);
  }

  /** Forget everything (the namespace was cleared). */
  clear(): void {
    this.#nodes = [];
  }

  #pop(): void {
    const last = this.#nodes.pop() as Node;
    if (this.#nodes.length === 0) return;
    this.#nodes[0] = last;
    this.#down(0);
  }

  #up(index: number): void {
    const nodes = this.#nodes;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      // Stryker disable next-line EqualityOperator: ties may leave in any order (only expiresAt is promised); an equal swap is harmless
      if ((nodes[parent] as Node).expiresAt <= (nodes[i] as Node).expiresAt) return;
      [nodes[parent], nodes[i]] = [nodes[i] as Node, nodes[parent] as Node];
      i = parent;
    }
  }

  #down(index: number): void {
    const nodes = this.#nodes;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < nodes.length &&
        // Stryker disable next-line EqualityOperator: ties may leave in any order (only expiresAt is promised); an equal swap is harmless
        (nodes[left] as Node).expiresAt < (nodes[smallest] as Node).expiresAt
      )
        smallest = left;
      if (
        right < nodes.length &&
        // Stryker disable next-line EqualityOperator: ties may leave in any order (only expiresAt is promised); an equal swap is harmless
        (nodes[right] as Node).expiresAt < (nodes[smallest] as Node).expiresAt
      )
        smallest = right;
      if (smallest === i) return;
      [nodes[smallest], nodes[i]] = [nodes[i] as Node, nodes[smallest] as Node];
      i = smallest;
    }
  }
}
