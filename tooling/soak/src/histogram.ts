/**
 * A latency histogram with logarithmic buckets (5 % wide, from 10 µs to about 20 s): small,
 * mergeable across processes and windows, and exact enough for a p99 (within one bucket).
 */

const FLOOR_MS = 0.01;
const GROWTH = 1.05;
const BUCKETS = 300;
const LOG_GROWTH = Math.log(GROWTH);

/** Counts per bucket; index `i` holds samples up to `FLOOR_MS * GROWTH ** i`. */
export type Histogram = number[];

/** An empty histogram. */
export function emptyHistogram(): Histogram {
  return new Array<number>(BUCKETS).fill(0);
}

/** Count one sample of `ms` milliseconds into `histogram`. */
export function record(histogram: Histogram, ms: number): void {
  const i = ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
  const at = Math.min(BUCKETS - 1, i);
  histogram[at] = (histogram[at] ?? 0) + 1;
}

/** Add `other` into `into` (same bucket layout). */
export function merge(into: Histogram, other: Histogram): void {
  for (let i = 0; i < BUCKETS; i++) into[i] = (into[i] ?? 0) + (other[i] ?? 0);
}

/** How many samples `histogram` holds. */
export function count(histogram: Histogram): number {
  return histogram.reduce((sum, n) => sum + n, 0);
}

/** The `q` quantile (0..1) in milliseconds: the upper edge of its bucket; NaN when empty. */
export function quantile(histogram: Histogram, q: number): number {
  const total = count(histogram);
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return FLOOR_MS * GROWTH ** i;
  }
  return FLOOR_MS * GROWTH ** (BUCKETS - 1);
}
