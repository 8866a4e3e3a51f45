/**
 * Several systems measured in one interleaved run: each round gives every system one short
 * slice of the same work, in an order that rotates from round to round, so a burst of load
 * from elsewhere on the machine hits all of them instead of skewing one row. Each system's
 * figure is the median over the rounds (with quartiles) of its throughput as a ratio to the
 * baseline's in the same round, with the CPU each operation cost here and on the servers.
 */
import { ownCpuMicros, processCpuMicros } from './process-cpu.js';
import { type Spread, spread } from './stats.js';

/** The work of one system in one cell (one operation at one concurrency). */
export interface SliceWork {
  /**
   * Untimed, before a slice: make ready about `ops` operations (a delete slice needs that many
   * sessions to delete). The slice may end early when they run out.
   */
  prepare?(ops: number): Promise<void>;
  /** Timed: one batch of operations; resolves to how many it completed (0: nothing left). */
  batch(): Promise<number>;
}

/** A system taking part: a name, and its work for each cell. */
export interface Contender<C> {
  name: string;
  /** This system's work for `cell`, or `undefined` where it has no such operation. */
  work(cell: C): SliceWork | undefined;
}

/** Options of {@link Interleaver}. */
export interface InterleaverOptions {
  /** Rounds per cell; each system gets one slice per round. */
  rounds: number;
  /** Length of one slice in ms. */
  sliceMs: number;
  /**
   * Processes whose CPU time counts as server CPU (the database servers); a function when they
   * change (PostgreSQL's backend processes come and go with connections): read at each slice.
   */
  serverPids?: number[] | (() => number[]);
  /** Index of the baseline contender the ratios are taken to; default 0. */
  baseline?: number;
}

/** What one system did in one cell; `undefined` fields where it has no such operation. */
export interface ContenderResult {
  name: string;
  /** Operations per second: median and quartiles over the rounds. */
  rate?: Spread;
  /** Throughput ÷ the baseline's in the same round: median and quartiles over the rounds. */
  ratio?: Spread;
  /** CPU µs per operation in this process (`process.cpuUsage`), median over the rounds. */
  clientUs?: number;
  /** CPU µs per operation of the server processes (`/proc`), median; absent without servers. */
  serverUs?: number;
}

interface Slice {
  rate: number;
  clientUs: number;
  serverUs: number;
}

/**
 * Runs cells (an operation at a concurrency, say) over a fixed set of contenders, slices
 * interleaved. There is no forced collection between slices: measured, a `gc()` before each
 * 100 ms slice cut a Map's throughput by half (the heap it leaves makes the slice collect
 * more), far more than the garbage one system can leave to the next.
 *
 * @example
 * ```ts
 * const run = new Interleaver([raw, ours, peer], { rounds: 5, sliceMs: 120, serverPids: [pid] });
 * const results = await run.cell({ op: 'get', inFlight: 64 });
 * ```
 */
export class Interleaver<C> {
  readonly #contenders: readonly Contender<C>[];
  readonly #options: InterleaverOptions;
  /** Each contender's last measured rate, to size what a slice prepares. */
  readonly #lastRate = new Map<Contender<C>, number>();

  constructor(contenders: readonly Contender<C>[], options: InterleaverOptions) {
    this.#contenders = contenders;
    this.#options = options;
  }

  /** Warm every contender's work for `cell` up with one untimed slice each (JIT, connections). */
  async warmUp(cell: C): Promise<void> {
    for (const contender of this.#contenders) {
      const work = contender.work(cell);
      if (work) this.#lastRate.set(contender, (await this.#slice(contender, work)).rate);
    }
  }

  /** Measure `cell`: `rounds` rounds of one slice per contender, in rotating order. */
  async cell(cell: C): Promise<ContenderResult[]> {
    const { rounds, baseline = 0 } = this.#options;
    const works = this.#contenders.map((c) => c.work(cell));
    const slices: Slice[][] = this.#contenders.map(() => []);
    const ratios: number[][] = this.#contenders.map(() => []);
    const n = this.#contenders.length;
    for (let round = 0; round < rounds; round++) {
      const rate: number[] = [];
      for (let step = 0; step < n; step++) {
        // Rotate, and go backwards on odd rounds: each system sees every neighbour and place.
        const i = round % 2 === 0 ? (round + step) % n : (round + n - step) % n;
        const work = works[i];
        if (!work) continue;
        const slice = await this.#slice(this.#contenders[i] as Contender<C>, work);
        slices[i]?.push(slice);
        rate[i] = slice.rate;
      }
      const base = rate[baseline];
      for (let i = 0; i < n; i++) {
        const own = rate[i];
        if (own !== undefined && base !== undefined) ratios[i]?.push(own / base);
      }
    }
    return this.#contenders.map((contender, i) => {
      const own = slices[i] ?? [];
      if (own.length === 0) return { name: contender.name };
      const result: ContenderResult = {
        name: contender.name,
        rate: spread(own.map((s) => s.rate)),
        ratio: spread(ratios[i] ?? []),
        clientUs: spread(own.map((s) => s.clientUs)).median,
      };
      if (this.#options.serverPids !== undefined && serverPidsOf(this.#options).length > 0) {
        result.serverUs = spread(own.map((s) => s.serverUs)).median;
      }
      return result;
    });
  }

  async #slice(contender: Contender<C>, work: SliceWork): Promise<Slice> {
    const { sliceMs } = this.#options;
    const serverPids = serverPidsOf(this.#options);
    const last = this.#lastRate.get(contender) ?? 1000;
    // 1.5x what the last slice did, so a slice rarely runs out before its time.
    await work.prepare?.(Math.ceil((last * sliceMs * 1.5) / 1000));
    const serverBefore = serverCpu(serverPids);
    const clientBefore = ownCpuMicros();
    const started = performance.now();
    let done = 0;
    do {
      const ops = await work.batch();
      if (ops === 0) break;
      done += ops;
    } while (performance.now() - started < sliceMs);
    const elapsed = performance.now() - started;
    const clientUs = ownCpuMicros() - clientBefore;
    const serverUs = serverCpu(serverPids) - serverBefore;
    const rate = (done * 1000) / elapsed;
    if (done > 0) this.#lastRate.set(contender, rate);
    const per = (us: number) => (done > 0 ? us / done : Number.NaN);
    return { rate, clientUs: per(clientUs), serverUs: per(serverUs) };
  }
}

function serverPidsOf(options: InterleaverOptions): number[] {
  const { serverPids = [] } = options;
  return typeof serverPids === 'function' ? serverPids() : serverPids;
}

function serverCpu(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += processCpuMicros(pid) ?? Number.NaN;
  return total;
}
