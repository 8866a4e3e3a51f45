/**
 * A load-robust second opinion next to the shared runner: the store and the raw baseline run
 * one operation each in turn (alternating which goes first), and each operation's latency is
 * recorded. Medians of single operations barely move when other processes steal the CPU or
 * a checkpoint's fsync stalls one commit, which swing the runner's mean-based throughput by
 * ±50 % on a busy machine. Prints p50 latencies and raw ÷ store (≥ 1 means the store is as fast).
 */
import type { BenchTarget } from '@sessions/bench';
import { makePayload } from '@sessions/bench';

type Op = 'get' | 'set' | 'touch' | 'delete';
const POOL = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(fn: () => Promise<unknown>, into: number[]): Promise<void> {
  const start = process.hrtime.bigint();
  await fn();
  into.push(Number(process.hrtime.bigint() - start) / 1000);
}

/** Print p50 latency (µs) of `subject` and `raw` per operation, measured alternately. */
export async function runInterleaved(
  title: string,
  subject: BenchTarget,
  raw: BenchTarget,
  rounds = 20_000,
): Promise<void> {
  const payload = makePayload(1024);
  const ttl = () => Date.now() + 3_600_000;
  const keys = Array.from({ length: POOL }, (_, i) => `i${i.toString(36).padStart(6, '0')}`);
  for (const key of keys) await subject.set(key, payload, ttl());
  const run: Record<Op, (t: BenchTarget, key: string) => Promise<unknown>> = {
    get: (t, key) => t.get(key),
    set: (t, key) => t.set(key, payload, ttl()),
    touch: (t, key) => t.touch(key, ttl()),
    // The key is put back untimed after each delete (by the same target), so every delete
    // removes a row.
    delete: async (t, key) => t.delete(key),
  };
  console.log(`\n${title}: p50 of single operations, store and raw alternating (${rounds} each)`);
  for (const op of ['get', 'set', 'touch', 'delete'] as Op[]) {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const key = keys[i % POOL] as string;
      const pair: Array<[BenchTarget, number[]]> = [
        [subject, ours],
        [raw, theirs],
      ];
      if (i % 2 === 1) pair.reverse();
      for (const [target, into] of pair) {
        await timed(() => run[op](target, key), into);
        if (op === 'delete') await target.set(key, payload, ttl());
      }
    }
    const [p50Ours, p50Raw] = [median(ours), median(theirs)];
    console.log(
      `  ${op.padEnd(6)} store ${p50Ours.toFixed(2).padStart(7)} µs   raw ${p50Raw.toFixed(2).padStart(7)} µs   raw/store ${(p50Raw / p50Ours).toFixed(2)}x`,
    );
  }
}
