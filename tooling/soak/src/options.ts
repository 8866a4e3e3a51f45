/** The soak's command line: `--duration`, `--store` (repeatable), `--rate`. */
import { BACKENDS } from './backends/index.js';

/** The stores the CI-sized form runs (the issue requires these three in CI). */
export const CI_STORES = ['sqlite', 'redis', 'memory'] as const;
/** The CI-sized form's total: split across its stores. */
export const CI_DURATION_MS = 10 * 60_000;

/** A parsed command line. */
export interface SoakCommand {
  /** The stores to run, in order. */
  stores: string[];
  /** Total duration, split evenly across the stores (unless `perStore`). */
  totalMs: number;
  /** With `--duration`, each store gets the whole duration (the long form: an hour each). */
  perStore: boolean;
  rate: number | undefined;
}

/** `90s`, `10m`, `1h`, `500ms` → milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`[@sessions/soak] bad duration "${text}" (try 90s, 10m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

/**
 * Parse `argv`. Without `--duration`: the CI form, ten minutes split across SQLite, Redis and
 * memory. With `--duration 1h`: each chosen store (default all) runs that long.
 */
export function parseCommand(argv: string[]): SoakCommand {
  const stores: string[] = [];
  let duration: number | undefined;
  let rate: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`[@sessions/soak] ${arg} needs a value`);
      return next;
    };
    if (arg === '--') continue;
    else if (arg === '--duration') duration = parseDuration(value());
    else if (arg === '--store') stores.push(...value().split(','));
    else if (arg === '--rate') rate = Number(value());
    else throw new Error(`[@sessions/soak] unknown argument ${arg} (--duration, --store, --rate)`);
  }
  if (duration === undefined) {
    return {
      stores: stores.length ? stores : [...CI_STORES],
      totalMs: CI_DURATION_MS,
      perStore: false,
      rate,
    };
  }
  return {
    stores: stores.length ? stores : BACKENDS.map((b) => b.name),
    totalMs: duration,
    perStore: true,
    rate,
  };
}
