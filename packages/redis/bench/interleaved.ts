// An A/B measure that survives a busy machine: the store and the raw baseline run in short
// alternating slices, and the ratio is the median over many slice pairs, so a burst of load
// from elsewhere hits both sides instead of skewing one row.
import { type BenchTarget, makePayload } from '@sessions/bench';

type Op = 'get' | 'set';

/** Options of {@link interleavedRatios}. */
export interface InterleavedOptions {
  ops?: Op[];
  inFlight?: number;
  rounds?: number;
  sliceMs?: number;
}

/** Operations per second of `target` doing `op` with `inFlight` at once for `sliceMs`. */
async function rate(
  target: BenchTarget,
  op: Op,
  inFlight: number,
  sliceMs: number,
): Promise<number> {
  const payload = makePayload(1024);
  const started = performance.now();
  let done = 0;
  let cursor = 0;
  while (performance.now() - started < sliceMs) {
    await Promise.all(
      Array.from({ length: inFlight }, () => {
        const key = `k${(cursor++ % 1000).toString(36).padStart(6, '0')}`;
        return op === 'get' ? target.get(key) : target.set(key, payload, Date.now() + 3_600_000);
      }),
    );
    done += inFlight;
  }
  return (done * 1000) / (performance.now() - started);
}

/**
 * Median (and quartiles) of store/raw throughput ratios over alternating slices. Both sides
 * must hold keys `k000000`..: call it after `runStoreBench`, which writes them.
 */
export async function interleavedRatios(
  subject: BenchTarget,
  raw: BenchTarget,
  options: InterleavedOptions = {},
) {
  const { ops = ['get', 'set'], inFlight = 64, rounds = 15, sliceMs = 200 } = options;
  const results: Array<{ op: Op; median: number; q1: number; q3: number }> = [];
  for (const op of ops) {
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so a trend in the load favours neither side.
      let ours: number;
      let theirs: number;
      if (round % 2 === 0) {
        ours = await rate(subject, op, inFlight, sliceMs);
        theirs = await rate(raw, op, inFlight, sliceMs);
      } else {
        theirs = await rate(raw, op, inFlight, sliceMs);
        ours = await rate(subject, op, inFlight, sliceMs);
      }
      ratios.push(ours / theirs);
    }
    ratios.sort((a, b) => a - b);
    const at = (q: number) => ratios[Math.floor(q * (ratios.length - 1))] as number;
    results.push({ op, median: at(0.5), q1: at(0.25), q3: at(0.75) });
  }
  return results;
}
