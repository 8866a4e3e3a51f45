/**
 * The bad-network scenarios: the store talks to its server through the {@link LatencyProxy}
 * while compare-and-set writers (one key each) keep writing. Under each latency level (with
 * jitter), and with replies cut part-way, every call must settle within the bound, no write may
 * be applied twice, and a write that timed out must never come back as a `CONFLICT` with
 * itself (see `cas-writer.ts` for the exact rules).
 */
import type { SessionStore } from '@sessions/core';
import { emptyCasFigures, runCasWriter } from '../cas-writer.js';
import { within } from '../operation-log.js';
import type { LatencyProxy, LinkConditions } from '../proxy/latency-proxy.js';
import type { CasFigures, OutageResult } from '../types.js';
import { KeySource } from '../workload.js';
import { beginScenario, DEFAULT_BOUND_MS, finishScenario } from './kit.js';

/** A named set of link conditions. */
export interface LinkLevel {
  /** For the scenario's label, e.g. `50 ms + up to 50 ms jitter`. */
  label: string;
  conditions: Partial<LinkConditions>;
}

/** The latency levels every server store is run under: 0, 5 and 50 ms, each with jitter. */
export const LATENCY_LEVELS: readonly LinkLevel[] = [
  { label: '0 ms + up to 1 ms jitter', conditions: { latencyMs: 0, jitterMs: 1 } },
  { label: '5 ms + up to 5 ms jitter', conditions: { latencyMs: 5, jitterMs: 5 } },
  { label: '50 ms + up to 50 ms jitter', conditions: { latencyMs: 50, jitterMs: 50 } },
];

/**
 * Replies cut part-way: 8 % of the server's chunks, at 5 ms (+ up to 5 ms) latency — enough
 * that even the slowest backend here (DynamoDB Local, some 30 calls a second) meets several
 * cut write replies per run. Four in five cuts reset the connection at once; one in five leaves
 * it silent for the bound plus a second first, so only the store's own deadline can end the
 * calls on it.
 */
export function cutLevel(boundMs: number): LinkLevel {
  const stallMs = boundMs + 1000;
  return {
    label: `5 ms + jitter, 8 % of replies cut part-way (1 in 5 silent ${stallMs} ms first)`,
    conditions: { latencyMs: 5, jitterMs: 5, cutRate: 0.08, stallShare: 0.2, stallMs },
  };
}

/** Options of {@link runCompareAndSetOverLink}. */
export interface LinkScenarioOptions {
  /** Store label for the report. */
  name: string;
  /** The store under test, connected through `proxy`. */
  store: SessionStore;
  /** A store on the same scope connected straight to the server: the independent reader. */
  reader: SessionStore;
  /** The proxy between `store` and the server. */
  proxy: LatencyProxy;
  /** The conditions to hold for the scenario. */
  level: LinkLevel;
  /** The store's bound on any operation (default 2000 ms). */
  boundMs?: number;
  /** How long the writers write, in ms (default 2500). */
  durationMs?: number;
  /** Writers, one key each (default 4). */
  writers?: number;
  /** Pause between one writer's writes, in ms (default 20). */
  paceMs?: number;
}

/** A scenario's result with the writers' books. */
export interface LinkResult extends OutageResult {
  compareAndSet: CasFigures;
}

/**
 * Compare-and-set writers (default 4, one key each, a write every 20 ms plus the round trips,
 * each acknowledged write read back through the store) for `durationMs` under `level`; then
 * the link is calmed, and each key's final record is read straight from the server.
 *
 * @example
 * ```ts
 * const result = await runCompareAndSetOverLink({ name, store, reader, proxy, level: LATENCY_LEVELS[2] });
 * expect(outageViolations(result, { faultMustShow: false })).toEqual([]);
 * ```
 */
export async function runCompareAndSetOverLink(options: LinkScenarioOptions): Promise<LinkResult> {
  const { store, reader, proxy, level } = options;
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  const ctx = beginScenario();
  const keys = new KeySource('cas');
  const figures = emptyCasFigures();
  proxy.configure(level.conditions);
  const durationMs = options.durationMs ?? 2500;
  const until = Date.now() + durationMs;
  const writers = Array.from({ length: options.writers ?? 4 }, () =>
    runCasWriter({
      log: ctx.log,
      store,
      reader,
      key: keys.next().key,
      figures,
      running: () => Date.now() < until,
      paceMs: options.paceMs ?? 20,
    }).catch((err: unknown) => {
      // The direct reader failed too: the writer's books cannot be checked, which fails the run.
      figures.violations.push(`a writer's final state could not be read: ${String(err)}`);
    }),
  );
  // A writer ends by itself (its calls are bounded, or the log reports them hung); waiting is
  // capped all the same, at the scenario's length plus a few bounds.
  await within(durationMs + 12 * boundMs, ...writers);
  proxy.configure({});
  const result = await finishScenario(ctx, {
    name: options.name,
    scenario: `compare-and-set over ${level.label}`,
    boundMs,
    emptiedByFault: false,
    readBack: async (key) => (await reader.get(key)) !== undefined,
  });
  return { ...result, compareAndSet: figures };
}
