/**
 * Event-loop delay in the server process, from `perf_hooks.monitorEventLoopDelay`, with the
 * pauses the harness itself causes (a forced GC for each memory sample) left out.
 *
 * A monitor cannot be paused: once enabled again it records the gap since its last tick. So
 * each stretch between two pauses has its own monitor, folded into a whole-run histogram when
 * it ends, and the gap is never recorded.
 */
import {
  createHistogram,
  type IntervalHistogram,
  monitorEventLoopDelay,
  type RecordableHistogram,
} from 'node:perf_hooks';

/** The monitor's timer interval: Node's default. */
export const RESOLUTION_MS = 10;

/** Percentiles of a stretch of run, in milliseconds. */
export interface DelayFigures {
  /** How many timer ticks were measured. */
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Add a finished monitor's samples to `target`. Histograms of this kind cannot be added
 * (`add` takes only a recordable one), so the monitor's percentile bands are replayed: each
 * band's share of the samples at the band's upper value, which never understates a delay.
 */
function fold(window: IntervalHistogram, target: RecordableHistogram): void {
  let previous = 0;
  for (const [percentile, value] of window.percentiles) {
    const count = Math.round(((percentile - previous) / 100) * window.count);
    for (let i = 0; i < count; i++) target.record(Math.max(1, value));
    previous = percentile;
  }
}

/**
 * The delay a tick was late by: a monitor records the whole interval between its ticks, so an
 * idle loop reads the resolution (10 ms); the resolution is taken off, as
 * `@fastify/under-pressure` does, leaving how long the loop kept the timer waiting.
 */
function figures(histogram: RecordableHistogram): DelayFigures {
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    samples: histogram.count,
    p50: late(histogram.percentile(50)),
    p99: late(histogram.percentile(99)),
    max: late(histogram.max),
  };
}

/**
 * The server's delay monitor: `whole` from `start()`, `steady` from `steadyFromNow()`.
 *
 * @example
 * ```ts
 * const delay = new DelayMonitor();
 * delay.start();
 * delay.pause(); gc(); delay.resume();
 * console.log(delay.figures().steady?.p99);
 * ```
 */
export class DelayMonitor {
  #window: IntervalHistogram | undefined;
  #whole = createHistogram();
  #steady: RecordableHistogram | undefined;

  /** Start measuring (again, from nothing). */
  start(): void {
    this.pause();
    this.#whole = createHistogram();
    this.#steady = undefined;
    this.resume();
  }

  /** From now on also measure the steady part (after warm-up). */
  steadyFromNow(): void {
    this.pause();
    this.#steady = createHistogram();
    this.resume();
  }

  /** Stop the current monitor and keep what it measured. */
  pause(): void {
    const window = this.#window;
    if (!window) return;
    window.disable();
    fold(window, this.#whole);
    if (this.#steady) fold(window, this.#steady);
    this.#window = undefined;
  }

  /** Measure again with a fresh monitor (which records no gap for the pause). */
  resume(): void {
    this.#window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#window.enable();
  }

  /** What has been measured so far (the running monitor included). */
  figures(): { whole: DelayFigures; steady: DelayFigures | undefined } {
    this.pause();
    this.resume();
    return {
      whole: figures(this.#whole),
      steady: this.#steady ? figures(this.#steady) : undefined,
    };
  }
}
