/**
 * Watches the whole process while a scenario runs: unhandled rejections, uncaught exceptions
 * and event-loop delay. A store that leaks a rejection from a background reconnect, or blocks
 * the loop with a synchronous wait, shows up here even when every operation looked fine.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sleep } from './operation-log.js';

/** Sampling interval of the event-loop monitor; subtracted from what it reports (see below). */
const RESOLUTION_MS = 5;

/** What {@link watchProcess} saw. */
export interface ProcessFigures {
  unhandledRejections: string[];
  uncaughtExceptions: string[];
  /** Longest stall of the event loop, in ms. */
  eventLoopDelayMaxMs: number;
  /** 99th percentile stall, in ms. */
  eventLoopDelayP99Ms: number;
}

/** A running watch; `stop()` removes the listeners and returns the figures. */
export interface ProcessWatch {
  /**
   * Forget the event-loop delay seen so far: the figure then covers only what follows (e.g.
   * the time another process holds a lock, not the spawning of that process).
   */
  resetEventLoopDelay(): void;
  stop(): Promise<ProcessFigures>;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return String(reason);
}

/**
 * Install `unhandledRejection` / `uncaughtException` listeners and an event-loop delay monitor.
 *
 * @example
 * ```ts
 * const watch = watchProcess();
 * await runLoad();
 * const { unhandledRejections, eventLoopDelayMaxMs } = await watch.stop();
 * ```
 */
export function watchProcess(): ProcessWatch {
  const unhandledRejections: string[] = [];
  const uncaughtExceptions: string[] = [];
  const onRejection = (reason: unknown) => unhandledRejections.push(describe(reason));
  const onException = (err: unknown) => uncaughtExceptions.push(describe(err));
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    resetEventLoopDelay() {
      histogram.reset();
    },
    async stop() {
      // Node reports an unhandled rejection only after the microtask queue drains: give a
      // rejection from the scenario's last moments the chance to surface before listening stops.
      await sleep(50);
      histogram.disable();
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      // The histogram records the whole interval between two samples (nanoseconds), so an idle
      // loop reads about RESOLUTION_MS: the stall is what exceeds it.
      const stall = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      return {
        unhandledRejections,
        uncaughtExceptions,
        eventLoopDelayMaxMs: stall(histogram.max),
        eventLoopDelayP99Ms: stall(histogram.percentile(99)),
      };
    },
  };
}
