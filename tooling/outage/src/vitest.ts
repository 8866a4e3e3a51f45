/**
 * The outage suite of a server-backed store, for vitest: every scenario of the harness
 * against a dedicated server (never the shared test server: this one gets killed), each
 * asserted against the pass criteria, the figures printed (and written to docs/reliability.md
 * with SESSIONS_WRITE_RELIABILITY=1). A backend added later gets the same checks by writing
 * one `describeServerOutage` call.
 */
import type { SessionStore } from '@sessions/core';
import type { RunningServer } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CriteriaOptions, judgeOutage } from './criteria.js';
import { reportOutage } from './report.js';
import { runFreeze } from './scenarios/freeze.js';
import { DEFAULT_BOUND_MS } from './scenarios/kit.js';
import { runBurst, runIdleKill, runSteadyLoad } from './scenarios/server-faults.js';
import { runColdStart, runFirstCallRace } from './scenarios/startup.js';
import { serverTarget } from './server-target.js';
import type { OutageResult } from './types.js';
import { registerLatencyScenarios } from './vitest-latency.js';

/** An independent way to check what a store wrote (a second client), and its cleanup. */
export interface ReadBackClient {
  readBack(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** How to run the outage suite for one backend. */
export interface ServerOutageSuite {
  /** Store label in test names and the report, e.g. `redis (standalone)`. */
  name: string;
  /** Why the server cannot run here, or undefined when it can (the suite is skipped if not). */
  unavailable?: string;
  /** Start a dedicated server for this suite (killed and restarted by it, stopped after). */
  start(): Promise<RunningServer>;
  /** Whether a restart of that server loses its data. */
  isEmptyAfterRestart: boolean;
  /**
   * A store on `server`, scoped by `scope` (a fresh, valid name per scenario: use it as the
   * namespace, or as a table/collection name where the scenario should meet lazy creation).
   * The suite closes it.
   */
  createStore(server: RunningServer, scope: string): SessionStore | Promise<SessionStore>;
  /** A second, independent client reading what a store of `scope` wrote. */
  readBack(server: RunningServer, scope: string): ReadBackClient;
  /**
   * Provision `scope` on the backend before the cold-start scenario kills the server (create
   * the table or indexes, as a deployment would have), so that scenario is about a store
   * created while the server is down, not about lazy creation (the race covers that).
   */
  provision?(server: RunningServer, scope: string): Promise<void>;
  /** The stores' configured bound on any operation (default 2000 ms). */
  boundMs?: number;
  /**
   * Freeze the server before the burst scenario issues its writes (see `runBurst`'s
   * `freezeFirst`): for a server that is one of several, such as one master of a cluster.
   */
  burstFreezesFirst?: boolean;
  /**
   * Whether a store can be pointed at a proxy in front of the server's port (default true), for
   * the latency scenarios. A cluster client cannot: it follows the addresses the nodes announce.
   */
  proxied?: boolean;
}

/** Poll `check` until it answers (present or not) — the server serves requests again. */
async function untilServing(check: ReadBackClient): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await check.readBack('outage-readiness-probe');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// Each scenario waits out real outages: the steady one alone is a 10 s outage plus a restart,
// and a JVM (DynamoDB Local) may take tens of seconds to start on a busy 2-core machine. A
// generous timeout lets the scenario finish and report its figures instead of just timing out.
const SCENARIO_TIMEOUT_MS = 150_000;

let scopes = 0;
function freshScope(scenario: string): string {
  scopes += 1;
  return `outage_${scenario}_${Date.now().toString(36)}_${scopes}`;
}

/**
 * Register the outage suite (idle kill, steady load across a 10 s outage, the whole server
 * frozen for 10 s under load, a burst of 2,000 writes, cold start while down, 2,000 first calls
 * racing lazy creation) and, unless `proxied` is false, the latency scenarios: compare-and-set
 * writers through a proxy adding 0, 5 and 50 ms with jitter, then cutting replies part-way.
 *
 * @example
 * ```ts
 * describeServerOutage({
 *   name: 'redis (standalone)',
 *   unavailable: redisInstalled() ? undefined : 'redis-server is not installed',
 *   start: () => startRedis(),
 *   isEmptyAfterRestart: true,
 *   createStore: (server, scope) => new RedisStore({ url: server.url, namespace: scope }),
 *   readBack: (server, scope) => storeReadBack(() => new RedisStore({ url: server.url, namespace: scope })),
 * });
 * ```
 */
export function describeServerOutage(suite: ServerOutageSuite): void {
  const boundMs = suite.boundMs ?? DEFAULT_BOUND_MS;
  describe.skipIf(suite.unavailable !== undefined)(`outage: ${suite.name}`, () => {
    let server: RunningServer;
    const results: OutageResult[] = [];
    const cleanups: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      server = await suite.start();
    }, SCENARIO_TIMEOUT_MS);
    afterAll(async () => {
      reportOutage(results);
      for (const cleanup of cleanups) await cleanup();
      await server?.stop();
    });

    /** A fault target for one scenario, with its own read-back client. */
    const targetFor = (scope: string) => {
      const checker = suite.readBack(server, scope);
      cleanups.push(() => checker.close());
      return serverTarget(server, {
        isEmptyAfterRestart: suite.isEmptyAfterRestart,
        readBack: checker.readBack,
        afterRestart: () => untilServing(checker),
      });
    };
    /** A store for one scenario, closed after the suite. */
    const storeFor = async (scope: string) => {
      const store = await suite.createStore(server, scope);
      cleanups.push(() => store.close());
      return store;
    };
    const record = (result: OutageResult, criteria?: CriteriaOptions) => {
      results.push(result);
      expect(judgeOutage(result, criteria), `${suite.name}: ${result.scenario}`).toEqual([]);
      expect(result.checkedWrites, 'acknowledged writes verified in the backend').toBeGreaterThan(
        0,
      );
    };

    it(
      'kill while idle: get and set fail fast, the same store recovers',
      async () => {
        const scope = freshScope('idle');
        record(
          await runIdleKill({
            name: suite.name,
            store: await storeFor(scope),
            target: targetFor(scope),
            boundMs,
          }),
        );
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'steady 50 ops/s across a 10 s outage and a restart on the same port',
      async () => {
        const scope = freshScope('steady');
        record(
          await runSteadyLoad({
            name: suite.name,
            store: await storeFor(scope),
            target: targetFor(scope),
            boundMs,
          }),
        );
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'frozen whole (SIGSTOP to every process) for 10 s under load, then SIGCONT',
      async () => {
        const scope = freshScope('freeze');
        record(
          await runFreeze({
            name: suite.name,
            store: await storeFor(scope),
            target: targetFor(scope),
            boundMs,
          }),
        );
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'kill with a burst of 2,000 writes in flight',
      async () => {
        const scope = freshScope('burst');
        const result = await runBurst({
          name: suite.name,
          store: await storeFor(scope),
          target: targetFor(scope),
          boundMs,
          freezeFirst: suite.burstFreezesFirst,
        });
        record(result);
        // The kill must land mid-burst, or the scenario tested nothing.
        expect(result.inFlightAtFault).toBeGreaterThan(0);
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'created and first used while the server is down',
      async () => {
        const scope = freshScope('cold');
        await suite.provision?.(server, scope);
        const target = targetFor(scope);
        record(
          await runColdStart({
            name: suite.name,
            target,
            boundMs,
            createStore: () => suite.createStore(server, scope),
          }),
        );
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      '2,000 first calls racing lazy creation on a fresh scope',
      async () => {
        const scope = freshScope('race');
        const checker = suite.readBack(server, scope);
        cleanups.push(() => checker.close());
        const result = await runFirstCallRace({
          name: suite.name,
          createStore: () => suite.createStore(server, scope),
          readBack: checker.readBack,
          boundMs,
        });
        // No fault here: failures are allowed (they must still be UNAVAILABLE), none required.
        record(result, { faultMustShow: false });
      },
      SCENARIO_TIMEOUT_MS,
    );

    if (suite.proxied !== false) {
      registerLatencyScenarios({
        name: suite.name,
        server: () => server,
        createStore: (server, scope) => suite.createStore(server, scope),
        provision:
          suite.provision &&
          ((server, scope) => suite.provision?.(server, scope) ?? Promise.resolve()),
        boundMs,
        freshScope,
        results,
        cleanups,
        timeoutMs: SCENARIO_TIMEOUT_MS,
      });
    }
  });
}

/**
 * A {@link ReadBackClient} from a second store instance on the same scope (its own client and
 * connection), built on the first check — after the scenario, when the backend is back — so
 * it never carries the outage itself. A key counts as present when it returns a record.
 */
export function storeReadBack(create: () => SessionStore): ReadBackClient {
  let checker: SessionStore | undefined;
  return {
    readBack: async (key) => {
      checker ??= create();
      return (await checker.get(key)) !== undefined;
    },
    close: async () => {
      await checker?.close();
    },
  };
}
