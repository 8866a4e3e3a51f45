/**
 * One app process of the soak (forked by the host with `--expose-gc`): builds its store, runs
 * its lanes at a steady rate, and reports every window (memory after a full GC, latency, read-
 * back of its acknowledged writes) and at the end (the handles `close()` left behind).
 */
import type { SessionStore } from '@sessions/core';
import type { SoakBackend } from './backends/types.js';
import { readBack } from './read-back.js';
import type { DoneReport, HostMessage, StoreWrap, WorkerConfig, WorkerMessage } from './types.js';
import { counterKey, createCounters, emptyTally, Lane, parseCounter } from './workload.js';

/** How often the pruning worker calls `prune()`. */
const PRUNE_EVERY_MS = 2000;
/** How long `close()` gets to let its sockets and timers go before they count as leaked. */
const SETTLE_MS = 3000;

const send = (message: WorkerMessage) =>
  new Promise<void>((resolve) => process.send?.(message, () => resolve()));

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function grown(before: Record<string, number>, after: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) {
    if (n > (before[type] ?? 0)) out[type] = n - (before[type] ?? 0);
  }
  return out;
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('[@sessions/soak] the worker needs --expose-gc');
  // Twice: the first pass can leave objects only the second finds unreachable (weak refs).
  gc();
  gc();
}

/**
 * Only this worker's backend module is loaded: a worker holds one store's driver, as an app
 * would, and its heap is not the other drivers'.
 */
async function loadBackend(name: string): Promise<SoakBackend> {
  if (!/^[a-z]+$/.test(name)) throw new Error(`[@sessions/soak] bad backend name ${name}`);
  const module = (await import(`./backends/${name}.js`)) as Record<string, SoakBackend>;
  const backend = module[`${name}Backend`];
  if (!backend) throw new Error(`[@sessions/soak] no backend ${name}`);
  return backend;
}

async function wrapped(store: SessionStore, wrap: StoreWrap | undefined): Promise<SessionStore> {
  if (!wrap) return store;
  const module = (await import(wrap.module)) as Record<string, (s: SessionStore) => SessionStore>;
  const fn = module[wrap.export];
  if (typeof fn !== 'function') throw new Error(`[@sessions/soak] no export ${wrap.export}`);
  return fn(store);
}

async function main(config: WorkerConfig): Promise<void> {
  const backend = await loadBackend(config.backend);
  const raw = await backend.openRaw(config.connection, config.namespace);
  // The IPC channel is unreferenced until a 'message' listener exists: add one before the
  // baseline, or the channel itself would count as a handle the store left behind.
  process.on('message', () => {});
  const before = resourceCounts();
  const store = await wrapped(
    await backend.openStore(config.connection, config.namespace),
    config.wrap,
  );
  let tally = emptyTally();
  const counters = {
    acked: new Array<number>(config.hotCounters).fill(0),
    uncertain: new Array<number>(config.hotCounters).fill(0),
  };
  const lanes = Array.from(
    { length: config.lanes },
    (_, i) => new Lane(store, config, i, () => tally, counters),
  );
  await createCounters(store, config);
  for (const lane of lanes) {
    await lane.createLongSessions(Math.ceil(config.longSessions / config.lanes));
  }
  tally = emptyTally();

  let running = true;
  // Closed while a window is measured: every lane parks at it, so the figures and the read-back
  // see no operation in flight.
  let gate: Promise<void> | undefined;
  let openGate = () => {};
  let parked = 0;
  const laneRuns: Array<Promise<void>> = [];
  const interval = (config.lanes * 1000) / config.rate;
  const runLane = async (lane: Lane) => {
    let next = performance.now();
    while (running) {
      if (gate) {
        parked++;
        await gate;
        parked--;
        next = performance.now();
      }
      if (!running) break;
      await lane.step();
      // A steady rate: a lane that fell behind does not burst to catch up.
      next = Math.max(next + interval, performance.now());
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  const pause = async () => {
    gate = new Promise((r) => {
      openGate = () => {
        gate = undefined;
        r();
      };
    });
    while (parked < lanes.length) await new Promise((r) => setTimeout(r, 5));
  };
  let pruner: NodeJS.Timeout | undefined;
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = (store.prune?.() ?? Promise.resolve()).catch((err) => {
      const code = `PRUNE:${(err as { code?: string })?.code ?? 'RAW'}`;
      tally.errors[code] = (tally.errors[code] ?? 0) + 1;
    });
    return pruning;
  };

  process.on('message', async (message: HostMessage) => {
    try {
      if (message.type === 'start') {
        for (const lane of lanes) laneRuns.push(runLane(lane));
        if (config.prunes && store.prune) {
          pruner = setInterval(prune, PRUNE_EVERY_MS);
        }
      } else if (message.type === 'window') {
        await pause();
        await pruning;
        // Storage is measured right after a prune, where a store has one: what is left then
        // is what the store cannot (or does not) remove, which is what must stay bounded.
        if (message.measureStorage && config.prunes && store.prune) {
          await prune();
        }
        fullGc();
        const { rss, heapUsed } = process.memoryUsage();
        const report = {
          type: 'window' as const,
          workerId: config.workerId,
          memory: { rss, heapUsed },
          latency: tally.latency,
          ops: tally.ops,
          conflicts: tally.conflicts,
          errors: tally.errors,
          readBack: await readBack(lanes, raw),
          storage: message.measureStorage ? await raw.storage() : undefined,
        };
        tally = emptyTally();
        await send(report);
        openGate();
      } else if (message.type === 'stop') {
        running = false;
        clearInterval(pruner);
        openGate();
        await Promise.all(laneRuns);
        await pruning;
        await send({ type: 'drained', workerId: config.workerId, ...counters });
      } else if (message.type === 'finish') {
        const counterMismatches: string[] = [];
        if (message.expectedCounters) {
          const keys = message.expectedCounters.map((_, i) => counterKey(i));
          const found = await raw.read(keys);
          const uncertain = message.uncertainCounters ?? [];
          message.expectedCounters.forEach((expected, i) => {
            const stored = parseCounter(found.get(counterKey(i)) ?? '') ?? Number.NaN;
            // Increments that failed with an unknown outcome may have landed, no more.
            const most = expected + (uncertain[i] ?? 0);
            if (!(stored >= expected && stored <= most)) {
              counterMismatches.push(
                `${counterKey(i)}: ${expected} acknowledged (+${uncertain[i] ?? 0} unknown), ${stored} stored`,
              );
            }
          });
        }
        const final = await readBack(lanes, raw);
        await store.close();
        let leakedHandles = grown(before, resourceCounts());
        for (
          let waited = 0;
          waited < SETTLE_MS && Object.keys(leakedHandles).length > 0;
          waited += 50
        ) {
          await new Promise((r) => setTimeout(r, 50));
          leakedHandles = grown(before, resourceCounts());
        }
        await raw.close();
        const done: DoneReport = {
          type: 'done',
          workerId: config.workerId,
          readBack: final,
          counterMismatches,
          leakedHandles,
        };
        await send(done);
        // Exit even if something (a leaked timer) would keep the process alive: it was reported.
        process.exit(0);
      }
    } catch (err) {
      await send({
        type: 'failed',
        workerId: config.workerId,
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      process.exit(1);
    }
  });
  await send({ type: 'ready', workerId: config.workerId });
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
main(config).catch(async (err) => {
  await send({
    type: 'failed',
    workerId: config.workerId,
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  process.exit(1);
});
