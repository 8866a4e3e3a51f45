/**
 * The harness's self-test: an honest store over the fake server passes every scenario, and
 * each broken store is caught by exactly the criterion it breaks. If the harness's bookkeeping
 * were wrong (a lost write not counted, a hang not seen), one of these would fail.
 */
import { describe, expect, it } from 'vitest';
import {
  outageViolations,
  runBurst,
  runColdStart,
  runFileLoss,
  runFirstCallRace,
  runFreeze,
  runIdleKill,
  runLockContention,
  runSteadyLoad,
} from '../src/index.js';
import {
  AcksWithoutWaiting,
  BlocksTheLoop,
  HangsWhileDown,
  LeaksRejections,
  NoDeadline,
  RecoversSlowly,
  SucceedsOnDisconnect,
  ThrowsRawErrors,
} from './broken-stores.js';
import { FakeFile, FakeServer, FileHandleStore, HonestStore } from './fake-backend.js';

// A short bound keeps the self-test quick; the logic does not depend on its size.
const BOUND = 400;

/** The freeze scenario at self-test scale: frozen for four bounds, under 100 ops/s. */
const freezeRun = {
  name: 'freeze',
  boundMs: BOUND,
  ratePerSec: 100,
  beforeMs: 300,
  frozenMs: 4 * BOUND,
  afterMs: 300,
};

function setup<S extends HonestStore>(make: (server: FakeServer) => S) {
  const server = new FakeServer();
  return { server, store: make(server), target: server.target() };
}

describe('the harness passes an honest store', () => {
  it('in every server scenario', async () => {
    const { server, store, target } = setup((s) => new HonestStore(s, BOUND));
    const common = { name: 'honest', store, target, boundMs: BOUND };
    const results = [
      await runIdleKill(common),
      await runSteadyLoad({ ...common, beforeMs: 300, outageMs: 800, afterMs: 300 }),
      await runBurst({ ...common, writes: 300 }),
      await runColdStart({ name: 'honest', target, boundMs: BOUND, createStore: () => store }),
    ];
    for (const result of results) expect(outageViolations(result), result.scenario).toEqual([]);
    const burst = results[2]!;
    expect(burst.inFlightAtFault).toBeGreaterThan(0);
    // Writes acknowledged before the kill were lost with the empty server: expected, not false.
    expect(results.some((r) => r.lostWithBackend > 0)).toBe(true);
    expect(results.every((r) => r.checkedWrites > 0)).toBe(true);
    expect(server.up).toBe(true);
  });

  it('in a burst whose server is frozen first: every write of it is in flight at the kill', async () => {
    const { store, target } = setup((s) => new HonestStore(s, BOUND));
    const result = await runBurst({
      name: 'honest',
      store,
      target,
      boundMs: BOUND,
      writes: 300,
      freezeFirst: true,
    });
    expect(outageViolations(result)).toEqual([]);
    expect(result.inFlightAtFault).toBe(300);
  });

  it('frozen well past the bound, then thawed: bounded failures, nothing lost, quick recovery', async () => {
    const { store, target } = setup((s) => new HonestStore(s, BOUND));
    const result = await runFreeze({ ...freezeRun, store, target });
    expect(outageViolations(result)).toEqual([]);
    // The freeze showed (calls failed at the bound), and nothing was killed: every
    // acknowledged write, before, during and after the freeze, is checked in the server.
    expect(result.failed).toBeGreaterThan(0);
    expect(result.shortestFailureMs).toBeGreaterThanOrEqual(BOUND - 50);
    expect(result.lostWithBackend).toBe(0);
    expect(result.checkedWrites).toBe(result.acknowledgedWrites);
    expect(result.recoveryMs).toBeLessThan(1000);
  });

  it('in the first-call race and the local-file scenarios', async () => {
    const { server, store } = setup((s) => new HonestStore(s, BOUND));
    const race = await runFirstCallRace({
      name: 'honest',
      createStore: () => store,
      readBack: async (key) => (await server.data.get(key)) !== undefined,
      boundMs: BOUND,
    });
    expect(outageViolations(race, { faultMustShow: false })).toEqual([]);
    expect(race.checkedWrites).toBe(1000);

    const lock = await runLockContention({
      name: 'honest',
      store,
      boundMs: BOUND,
      readBack: async (key) => (await server.data.get(key)) !== undefined,
      holdLock: async () => heldFor(server, 900),
    });
    // The honest store's stall is not asserted: it measures the machine (other processes),
    // not the store; the store that blocks the loop is caught below, by 150 ms busy waits.
    expect(outageViolations(lock, { minFailureWaitMs: BOUND - 50 })).toEqual([]);

    const file = new FakeFile();
    const careful = new FileHandleStore(file, BOUND, true);
    const loss = await runFileLoss({
      name: 'honest',
      store: careful,
      what: 'replaced',
      inflict: () => file.replace(),
      readBack: async (key) => (await file.current.get(key)) !== undefined,
      writes: 20,
    });
    expect(outageViolations(loss)).toEqual([]);
    expect(loss.failed).toBe(40);
  });
});

/** Lock the fake database for `ms`, as another process holding BEGIN EXCLUSIVE would. */
function heldFor(server: FakeServer, ms: number) {
  server.locked = true;
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      server.locked = false;
      resolve();
    }, ms),
  );
  return { released };
}

describe('the harness catches a broken store', () => {
  it('that acknowledges writes without waiting for the server (false successes)', async () => {
    const { store, target } = setup((s) => new AcksWithoutWaiting(s, BOUND));
    const result = await runIdleKill({ name: 'acks', store, target, boundMs: BOUND });
    expect(result.falseSuccesses).toBe(2);
    expect(outageViolations(result).join('\n')).toMatch(/false successes/);
  });

  it('that reports in-flight writes as successful when the connection drops', async () => {
    const { store, target } = setup((s) => new SucceedsOnDisconnect(s, BOUND));
    const result = await runBurst({ name: 'optimist', store, target, boundMs: BOUND, writes: 300 });
    // Every write still in flight at the kill was "acknowledged" by the reset: all lost.
    expect(result.inFlightAtFault).toBeGreaterThan(0);
    expect(result.falseSuccesses).toBeGreaterThan(0);
    expect(result.falseSuccesses).toBeLessThanOrEqual(result.inFlightAtFault ?? 0);
  });

  it('that hangs while the server is down (over-bound wait)', async () => {
    const { store, target } = setup((s) => new HangsWhileDown(s, BOUND));
    const result = await runIdleKill({ name: 'hangs', store, target, boundMs: BOUND });
    expect(result.hung).toBeGreaterThan(0);
    expect(result.longestWaitMs).toBeGreaterThan(BOUND + 1000);
    const violations = outageViolations(result).join('\n');
    expect(violations).toMatch(/hung/);
    expect(violations).toMatch(/over the 400 ms bound/);
    // Each hung step is waited for up to the bound plus the harness's 3 s grace.
  }, 30_000);

  it('without deadlines of its own, when the server is frozen past the bound', async () => {
    // Every failure it reports is UNAVAILABLE with a cause, and it survives a kill (refused
    // connections fail at once): only a server that stops answering shows the missing bound.
    const { store, target } = setup((s) => new NoDeadline(s, BOUND));
    const killed = await runIdleKill({ name: 'no deadline', store, target, boundMs: BOUND });
    expect(outageViolations(killed)).toEqual([]);
    const result = await runFreeze({ ...freezeRun, store, target });
    expect(result.longestWaitMs).toBeGreaterThan(3 * BOUND);
    const violations = outageViolations(result).join('\n');
    expect(violations).toMatch(/over the 400 ms bound/);
    expect(violations).toMatch(/the fault did not show/);
    expect(result.falseSuccesses).toBe(0);
  });

  it('that lets raw driver errors escape', async () => {
    const { store, target } = setup((s) => new ThrowsRawErrors(s, BOUND));
    const result = await runIdleKill({ name: 'raw', store, target, boundMs: BOUND });
    expect(result.errorCodes['RAW:Error']).toBeGreaterThan(0);
    expect(outageViolations(result).join('\n')).toMatch(/not UNAVAILABLE with a cause/);
  });

  it('that leaks unhandled rejections', async () => {
    const { store, target } = setup((s) => new LeaksRejections(s, BOUND));
    const result = await runColdStart({
      name: 'leaks',
      target,
      boundMs: BOUND,
      createStore: () => store,
    });
    expect(result.unhandledRejections.length).toBeGreaterThan(0);
    expect(outageViolations(result).join('\n')).toMatch(/unhandled rejections/);
  });

  it('that recovers slowly after the restart', async () => {
    const { store, target } = setup((s) => new RecoversSlowly(s, BOUND, 1500));
    const result = await runIdleKill({ name: 'slow', store, target, boundMs: BOUND });
    expect(result.recoveryMs).toBeGreaterThan(1000);
    expect(outageViolations(result).join('\n')).toMatch(/first success after the restart took/);
  });

  it('that blocks the event loop while waiting for a lock', async () => {
    const { server, store } = setup((s) => new BlocksTheLoop(s, BOUND));
    const result = await runLockContention({
      name: 'blocks',
      store,
      boundMs: BOUND,
      readBack: async (key) => (await server.data.get(key)) !== undefined,
      holdLock: async () => heldFor(server, 600),
    });
    expect(result.eventLoopDelayMaxMs).toBeGreaterThan(100);
    expect(outageViolations(result, { maxEventLoopDelayMs: 100 }).join('\n')).toMatch(
      /event loop stalled/,
    );
  });

  it('that keeps writing into a replaced database file', async () => {
    const file = new FakeFile();
    const careless = new FileHandleStore(file, BOUND, false);
    const result = await runFileLoss({
      name: 'careless',
      store: careless,
      what: 'replaced',
      inflict: () => file.replace(),
      readBack: async (key) => (await file.current.get(key)) !== undefined,
      writes: 20,
    });
    expect(result.falseSuccesses).toBe(20);
    expect(outageViolations(result, { faultMustShow: false }).join('\n')).toMatch(
      /false successes/,
    );
  });
});
