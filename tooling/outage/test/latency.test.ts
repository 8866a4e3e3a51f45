/**
 * The latency scenarios' self-test, over real TCP through the real proxy: an honest client
 * passes every level and the cuts, and each broken client is caught by the rule it breaks —
 * a blind retry applies a write twice, a resend reports a conflict with its own write, a
 * client without a deadline waits out a silent connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cutLevel,
  LATENCY_LEVELS,
  LatencyProxy,
  type LinkLevel,
  outageViolations,
  runCompareAndSetOverLink,
} from '../src/index.js';
import { LineServer, LineStore, ResendsUnanswered, RetriesBlindly } from './tcp-backend.js';

const BOUND = 400;

let server: LineServer;
let proxy: LatencyProxy;

beforeAll(async () => {
  server = await LineServer.start();
  proxy = await LatencyProxy.start(server.port);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

/** Run the scenario with `store` through the proxy, read straight from the server. */
function run(store: LineStore, level: LinkLevel, durationMs = 1500) {
  return runCompareAndSetOverLink({
    name: store.constructor.name,
    store,
    reader: new LineStore(server.port, BOUND),
    proxy,
    level,
    boundMs: BOUND,
    durationMs,
  });
}

/** Many cuts, each a reset: an applied write whose reply is lost is sure to happen. */
const RESETS: LinkLevel = { label: 'resets', conditions: { latencyMs: 1, cutRate: 0.3 } };

describe('the latency scenarios pass an honest client', () => {
  it.each(LATENCY_LEVELS.map((level) => [level.label, level] as const))(
    'at %s',
    async (_label, level) => {
      const result = await run(new LineStore(proxy.port, BOUND), level, 1000);
      expect(outageViolations(result, { faultMustShow: false })).toEqual([]);
      expect(result.compareAndSet.acknowledged).toBeGreaterThan(4);
      expect(result.failed).toBe(0);
    },
  );

  it('with replies cut part-way: unknown outcomes are resolved, and none is a conflict', async () => {
    const before = { ...proxy.stats };
    const result = await run(new LineStore(proxy.port, BOUND), cutLevel(BOUND), 2500);
    expect(outageViolations(result)).toEqual([]);
    expect(proxy.stats.resets + proxy.stats.stalls).toBeGreaterThan(before.resets + before.stalls);
    const cas = result.compareAndSet;
    expect(cas.unavailable).toBeGreaterThan(0);
    // Cut after the server applied the write: the retry meets CONFLICT, the record is ours.
    expect(cas.resolvedApplied).toBeGreaterThan(0);
  });
});

describe('the latency scenarios catch a broken client', () => {
  it('that retries a timed-out write without its version: applied twice', async () => {
    const result = await run(new RetriesBlindly(proxy.port, BOUND), RESETS);
    const violations = outageViolations(result).join('\n');
    expect(violations).toMatch(/applied 2 times/);
    expect(violations).not.toMatch(/over the 400 ms bound/);
  });

  it('that resends an unanswered write: a CONFLICT with its own write', async () => {
    const result = await run(new ResendsUnanswered(proxy.port, BOUND), RESETS);
    const violations = outageViolations(result).join('\n');
    expect(violations).toMatch(/reported CONFLICT for its own write/);
    expect(violations).not.toMatch(/applied 2 times|over the 400 ms bound/);
  });

  it('without a deadline of its own: a silent connection holds it past the bound', async () => {
    const silent: LinkLevel = {
      label: 'stalls',
      conditions: { latencyMs: 1, cutRate: 0.2, stallShare: 1, stallMs: 3 * BOUND },
    };
    const result = await run(new LineStore(proxy.port, BOUND, false), silent);
    expect(result.longestWaitMs).toBeGreaterThan(2 * BOUND);
    const violations = outageViolations(result).join('\n');
    expect(violations).toMatch(/over the 400 ms bound/);
    expect(result.compareAndSet.violations).toEqual([]);
  });
});
