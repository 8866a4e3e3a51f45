/**
 * One load run: the store, the app in its own server process, the clients for the duration,
 * memory sampled after a full GC along the way, the server's event-loop delay at the end.
 */
import { randomBytes } from 'node:crypto';
import type { AppUnderLoad } from './apps/index.js';
import { runClients, SHARED_GROUP_SIZE } from './clients.js';
import type { DelayFigures } from './delay-monitor.js';
import { HttpClient } from './http-client.js';
import { ServerHandle } from './server-handle.js';
import type { MemorySample } from './server-messages.js';
import { deployStore, type StoreName } from './stores.js';
import { Tally } from './tally.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  app: AppUnderLoad;
  store: StoreName;
  clients: number;
  durationMs: number;
  /** Mean pause between one client's requests. */
  thinkMs: number;
  /** Groups of clients sharing a cookie; default one per 200 clients (none under 10). */
  sharedGroups?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a run measured. */
export interface LoadRun {
  app: string;
  store: StoreName;
  clients: number;
  sharedClients: number;
  thinkMs: number;
  durationMs: number;
  /** From the first client's start to the last answer. */
  elapsedMs: number;
  /** The start of the run that the delay and memory checks leave out. */
  warmUpMs: number;
  tally: Tally;
  /** The server's event-loop delay after warm-up (`steady`) and over the whole run. */
  delay: { whole: DelayFigures; steady: DelayFigures };
  /** The server's memory after a full GC: one sample before the load, then along the run. */
  memory: MemorySample[];
  /** Share of one core each process used during the load: the server, the clients' own. */
  cpu: { server: number; clients: number };
}

/** One group of shared clients per this many clients. */
const CLIENTS_PER_SHARED_GROUP = 200;

/** How long the clients take to all start: a tenth of the run, at most 10 s. */
export const rampOf = (durationMs: number) => Math.min(10_000, durationMs / 10);
/** Warm-up: a fifth of the run, and at least the ramp (the JIT and caches settle meanwhile). */
export const warmUpOf = (durationMs: number) => Math.max(rampOf(durationMs), durationMs / 5);
/** Memory samples: about 25 a run, no closer than 250 ms. */
export const sampleEveryOf = (durationMs: number) => Math.max(250, durationMs / 24);

/**
 * Run one app on one store under load.
 *
 * @example
 * ```ts
 * const run = await runLoad({ app: appNamed('express'), store: 'sqlite', clients: 50,
 *   durationMs: 5000, thinkMs: 200 });
 * console.log(loadChecks(run).filter((check) => !check.passed));
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const log = options.log ?? (() => {});
  const sharedGroups =
    options.sharedGroups ??
    (options.clients < 2 * SHARED_GROUP_SIZE
      ? 0
      : Math.max(1, Math.floor(options.clients / CLIENTS_PER_SHARED_GROUP)));
  const store = await deployStore(options.store);
  try {
    const server = await ServerHandle.start({
      appModule: options.app.module,
      store: store.spec,
      secret: randomBytes(32).toString('hex'),
    });
    const http = new HttpClient(server.url);
    try {
      log(
        `${options.app.name} on ${options.store}: ${options.clients} clients for ${options.durationMs / 1000} s at ${server.url}`,
      );
      await server.ask({ type: 'begin' });
      const memory = [(await server.ask({ type: 'sample' })).sample];
      const tally = new Tally();
      const clientCpu = process.cpuUsage();
      const started = performance.now();
      const warmUpMs = warmUpOf(options.durationMs);
      const clients = runClients({
        http,
        protocol: options.app.protocol,
        tally,
        clients: options.clients,
        sharedGroups,
        thinkMs: options.thinkMs,
        rampMs: rampOf(options.durationMs),
        until: started + options.durationMs,
      });
      let finished = false;
      void clients.finally(() => {
        finished = true;
      });
      let steady = false;
      const every = sampleEveryOf(options.durationMs);
      for (let next = every; !finished; next += every) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          clients,
          new Promise((resolve) => {
            timer = setTimeout(resolve, next - (performance.now() - started));
          }),
        ]);
        clearTimeout(timer);
        if (finished) break;
        if (!steady && performance.now() - started >= warmUpMs) {
          await server.ask({ type: 'steady' });
          steady = true;
        }
        memory.push((await server.ask({ type: 'sample' })).sample);
        if (memory.length % 4 === 0)
          log(
            `  ${Math.round((performance.now() - started) / 1000)} s: ${tally.requests} requests, ${tally.errorCount()} errors, heap ${((memory.at(-1)?.heapUsed ?? 0) / 2 ** 20) | 0} MiB`,
          );
      }
      await clients;
      const elapsedMs = performance.now() - started;
      const used = process.cpuUsage(clientCpu);
      memory.push((await server.ask({ type: 'sample' })).sample);
      const serverCpuMs = (memory.at(-1)?.cpuMs ?? 0) - (memory[0]?.cpuMs ?? 0);
      const { whole, steady: steadyDelay } = await server.ask({ type: 'delay' });
      return {
        app: options.app.name,
        store: options.store,
        clients: options.clients,
        sharedClients: sharedGroups * SHARED_GROUP_SIZE,
        thinkMs: options.thinkMs,
        durationMs: options.durationMs,
        elapsedMs,
        warmUpMs,
        tally,
        delay: { whole, steady: steadyDelay ?? whole },
        memory,
        cpu: {
          server: serverCpuMs / elapsedMs,
          clients: (used.user + used.system) / 1000 / elapsedMs,
        },
      };
    } finally {
      http.close();
      await server.stop();
    }
  } finally {
    await store.stop();
  }
}
