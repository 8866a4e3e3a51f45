/**
 * The latency scenarios of a server store's outage suite: one {@link LatencyProxy} in front of
 * the suite's server, built once and reused, and a store of each scenario connected through it
 * (its URL pointed at the proxy), read back by a second store connected straight to the server.
 */
import type { SessionStore } from '@sessions/core';
import type { RunningServer } from '@sessions/test-services';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { judgeOutage } from './criteria.js';
import { LatencyProxy } from './proxy/latency-proxy.js';
import {
  cutLevel,
  LATENCY_LEVELS,
  type LinkLevel,
  runCompareAndSetOverLink,
} from './scenarios/latency.js';
import type { OutageResult } from './types.js';

/** What the latency scenarios need from the suite that registers them. */
export interface LatencySuiteContext {
  /** Store label. */
  name: string;
  /** The suite's server (available once its `beforeAll` has run). */
  server(): RunningServer;
  createStore(server: RunningServer, scope: string): SessionStore | Promise<SessionStore>;
  provision?(server: RunningServer, scope: string): Promise<void>;
  boundMs: number;
  /** A fresh, valid scope name. */
  freshScope(scenario: string): string;
  /** Where the results go (the suite reports them after all). */
  results: OutageResult[];
  /** Run after the suite (stores to close). */
  cleanups: Array<() => Promise<void>>;
  /** Per-test timeout, in ms. */
  timeoutMs: number;
}

/** How long the writers write under each latency level, and with cuts, in ms. */
const LEVEL_MS = 2500;
const CUT_MS = 5000;

/** `server` as seen through `proxy`: the same server, its URL and port the proxy's. */
function throughProxy(server: RunningServer, proxy: LatencyProxy): RunningServer {
  return Object.create(server, {
    url: { value: proxy.rewrite(server.url, server.port), enumerable: true },
    port: { value: proxy.port, enumerable: true },
  }) as RunningServer;
}

/**
 * Register the latency scenarios: compare-and-set writers through the proxy at 0, 5 and 50 ms
 * (each with jitter), then with replies cut part-way (some connections left silent first).
 */
export function registerLatencyScenarios(ctx: LatencySuiteContext): void {
  let proxy: LatencyProxy | undefined;
  beforeAll(async () => {
    proxy = await LatencyProxy.start(ctx.server().port);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  const scenario = async (level: LinkLevel, durationMs: number, faultMustShow: boolean) => {
    if (!proxy) throw new Error('the latency proxy did not start');
    const server = ctx.server();
    const scope = ctx.freshScope('latency');
    // Provisioned first, as a deployment would be: the scenario is about the link, not about
    // creating a table through it.
    await ctx.provision?.(server, scope);
    const before = { ...proxy.stats };
    const store = await ctx.createStore(throughProxy(server, proxy), scope);
    const reader = await ctx.createStore(server, scope);
    ctx.cleanups.push(
      () => store.close(),
      () => reader.close(),
    );
    const result = await runCompareAndSetOverLink({
      name: ctx.name,
      store,
      reader,
      proxy,
      level,
      boundMs: ctx.boundMs,
      durationMs,
    });
    ctx.results.push(result);
    expect(judgeOutage(result, { faultMustShow }), `${ctx.name}: ${result.scenario}`).toEqual([]);
    expect(proxy.stats.connections, 'the store connected through the proxy').toBeGreaterThan(
      before.connections,
    );
    expect(result.compareAndSet.acknowledged, 'writes acknowledged').toBeGreaterThan(0);
    return {
      result,
      cuts: proxy.stats.resets + proxy.stats.stalls - before.resets - before.stalls,
    };
  };

  for (const level of LATENCY_LEVELS) {
    it(
      `compare-and-set writers through a proxy adding ${level.label}`,
      async () => {
        await scenario(level, LEVEL_MS, false);
      },
      ctx.timeoutMs,
    );
  }

  it(
    'compare-and-set writers through a proxy cutting replies part-way',
    async () => {
      // The fault must show (some call failed: `faultMustShow`); that a write's outcome was
      // left unknown is not required, since a store may resolve a cut write by itself.
      const { cuts } = await scenario(cutLevel(ctx.boundMs), CUT_MS, true);
      expect(cuts, 'replies cut').toBeGreaterThan(0);
    },
    ctx.timeoutMs,
  );
}
