/**
 * Walking a whole namespace, for `list()` and `clear()`: SCAN (never KEYS) on the server, or on
 * every master of a cluster, grouped by hash tag so that multi-key commands never cross slots.
 */
import { once } from 'node:events';
import type { Cluster } from 'ioredis';
import { type Connection, scanTargets } from './connection.js';
import type { KeyLayout } from './layout.js';

/** Keys per SCAN page. */
const SCAN_COUNT = 1000;

/** Runs one call bounded by the store's deadline, with its failures typed. */
export type BoundedCall = <T>(work: () => Promise<T>) => Promise<T>;

/** Wait (bounded) until a cluster client knows its masters, so SCAN reaches all of them. */
async function clusterReady(
  cluster: Cluster,
  bounded: BoundedCall,
  timeoutMs: number,
): Promise<void> {
  if (cluster.status === 'ready') return;
  await bounded(() => once(cluster, 'ready', { signal: AbortSignal.timeout(timeoutMs) }));
}

/**
 * Call `onPage` with every key of the layout's namespace, page by page, grouped by hash tag
 * (one slot each). Every SCAN and every `onPage` is its own bounded call, so a large namespace
 * takes as long as it needs but no single step can hang.
 */
export async function scanNamespace(
  connection: Connection,
  layout: KeyLayout,
  bounded: BoundedCall,
  timeoutMs: number,
  onPage: (bySlot: Map<string, string[]>) => Promise<void>,
): Promise<void> {
  if (connection.isCluster) await clusterReady(connection.client as Cluster, bounded, timeoutMs);
  for (const node of scanTargets(connection)) {
    let cursor = '0';
    do {
      const [next, found] = await bounded(() =>
        node.scan(cursor, 'MATCH', layout.scanPattern, 'COUNT', SCAN_COUNT),
      );
      cursor = next;
      const bySlot = new Map<string, string[]>();
      for (const redisKey of found) {
        const tag = layout.owns(redisKey);
        if (tag === undefined) continue;
        const keys = bySlot.get(tag);
        if (keys) keys.push(redisKey);
        else bySlot.set(tag, [redisKey]);
      }
      if (bySlot.size > 0) await bounded(() => onPage(bySlot));
    } while (cursor !== '0');
  }
}
