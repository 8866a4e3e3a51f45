// The write load of the cluster-change tests: writers creating sessions while the cluster
// changes, and what came of it (acknowledged writes lost, the longest wait, time back to full
// throughput).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSessionError } from '@sessions/core';
import { KeyLayout, type RedisStore } from '../src/index.js';
import { hashSlot } from '../src/layout.js';
import { missing, waitHealthy } from './cluster-admin.js';
import type { ClientFlavor } from './support.js';

/** The store's bound on each call; every call must settle within it (plus timer slack). */
export const OPERATION_TIMEOUT = 1000;
export const SLACK_MS = 1500;
const WRITERS = 16;
/** Writes run this long before the change, and this long after the cluster is whole again. */
const STEADY_MS = 1500;
/** A throughput window, and the share of the steady rate that counts as "back to full". */
const WINDOW_MS = 250;
const RECOVERED_SHARE = 0.8;

export interface Ack {
  key: string;
  /** `performance.now()` when the store acknowledged it. */
  at: number;
}

interface LoadResult {
  acks: Ack[];
  /** Errors other than UNAVAILABLE (must be none). */
  unexpected: unknown[];
  unavailable: number;
  longestWaitMs: number;
}

/** Writers creating sessions until `stop` resolves. */
async function writeUntil(store: RedisStore, stop: Promise<void>): Promise<LoadResult> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const result: LoadResult = { acks: [], unexpected: [], unavailable: 0, longestWaitMs: 0 };
  const writer = async (w: number) => {
    for (let seq = 0; !stopped; seq++) {
      const key = `w${w}_${seq}_${Math.random().toString(36).slice(2, 8)}`;
      const started = performance.now();
      try {
        await store.set(key, { data: { seq }, expiresAt: Date.now() + 600_000, userId: `u${w}` });
        result.acks.push({ key, at: performance.now() });
      } catch (err) {
        if (isSessionError(err, 'UNAVAILABLE')) result.unavailable += 1;
        else result.unexpected.push(err);
        await sleep(20);
      } finally {
        result.longestWaitMs = Math.max(result.longestWaitMs, performance.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return result;
}

/** When throughput came back: ms from `from` to the first window at the steady rate. */
export function backToFullMs(acks: Ack[], start: number, faultAt: number, from: number): number {
  const steady = acks.filter((a) => a.at >= start && a.at < faultAt).length / (faultAt - start);
  const threshold = steady * WINDOW_MS * RECOVERED_SHARE;
  const last = acks.reduce((latest, a) => Math.max(latest, a.at), 0);
  for (let t = from; t + WINDOW_MS <= last; t += WINDOW_MS / 5) {
    const count = acks.filter((a) => a.at >= t && a.at < t + WINDOW_MS).length;
    if (count >= threshold) return t - faultAt;
  }
  return Number.POSITIVE_INFINITY;
}

interface ScenarioFigures {
  acknowledged: number;
  lost: number;
  lostBeforeFault: number;
  unavailable: number;
  longestWaitMs: number;
  backToFullMs: number;
}

/**
 * Run writes, apply `change` once they are steady, keep writing until the cluster is healthy
 * again and a while after, then read every acknowledged key back.
 */
export async function underLoad(
  flavor: ClientFlavor,
  cluster: { addresses: () => string[]; port: () => number; known: () => number },
  namespace: string,
  buckets: number,
  change: () => Promise<void>,
): Promise<{ figures: ScenarioFigures; lostAcks: Ack[]; faultAt: number; unexpected: unknown[] }> {
  const store = await flavor.open(
    { clusterNodes: cluster.addresses() },
    { namespace, buckets, operationTimeout: OPERATION_TIMEOUT },
  );
  try {
    let finish!: () => void;
    const stop = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const start = performance.now();
    const load = writeUntil(store, stop);
    await sleep(STEADY_MS);
    const faultAt = performance.now();
    await change();
    await waitHealthy(cluster.port(), cluster.known());
    const healthyAt = performance.now();
    await sleep(STEADY_MS);
    finish();
    const result = await load;
    const layout = new KeyLayout(namespace, store.layout.buckets);
    const lostAcks = await missing(cluster.port(), layout, result.acks);
    const figures: ScenarioFigures = {
      acknowledged: result.acks.length,
      lost: lostAcks.length,
      lostBeforeFault: lostAcks.filter((a) => a.at < faultAt).length,
      unavailable: result.unavailable,
      longestWaitMs: Math.round(result.longestWaitMs),
      backToFullMs: Math.round(backToFullMs(result.acks, start, faultAt, faultAt)),
    };
    console.log(
      `cluster change (${flavor.name}): ${JSON.stringify({ ...figures, healedAfterMs: Math.round(healthyAt - faultAt) })}`,
    );
    return { figures, lostAcks, faultAt, unexpected: result.unexpected };
  } finally {
    await store.close();
  }
}

/** A namespace of one bucket whose keys all live in one slot; returns it and the slot. */
export function oneSlotNamespace(scope: string): { namespace: string; slot: number } {
  const namespace = `${scope}_${Math.random().toString(36).slice(2, 8)}`;
  const tag = new KeyLayout(namespace, 1).tags[0] as string;
  return { namespace, slot: hashSlot(tag.slice(1, -1)) };
}
