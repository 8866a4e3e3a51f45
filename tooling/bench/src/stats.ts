/** Order statistics for benchmark samples: medians and quartiles survive a noisy machine. */

/**
 * The value at quantile `q` of `values` (0.5: the median, 0.25 and 0.75: the quartiles),
 * interpolated between the two nearest ranks; `NaN` for no values.
 *
 * @example
 * ```ts
 * quantile([3, 1, 2], 0.5); // 2
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (at - low);
}

/** Median and quartiles of a sample. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

/**
 * Median and quartiles of `values`.
 *
 * @example
 * ```ts
 * spread([0.9, 1.1, 1.0, 0.95, 1.05]); // { median: 1, q1: 0.95, q3: 1.05 }
 * ```
 */
export function spread(values: readonly number[]): Spread {
  return { median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}
