/**
 * The host of one soak run: starts the backend, forks its app processes, asks each for its
 * figures once per window, and collects the end-of-run checks (counters, read-back, handles).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SoakBackend } from './backends/types.js';
import { emptyHistogram, merge, quantile } from './histogram.js';
import type {
  DoneReport,
  DrainedReport,
  HostMessage,
  ReadBackResult,
  StoreWrap,
  WindowReport,
  WorkerConfig,
  WorkerMessage,
} from './types.js';

/** How to run one soak. */
export interface SoakOptions {
  backend: SoakBackend;
  durationMs: number;
  /** Operations per second per process (default 150). */
  rate?: number;
  /** App processes (default: the backend's). */
  processes?: number;
  /** Lifetimes of churned sessions, ms (default 1–4 s: they expire many times over a run). */
  ttlMs?: [number, number];
  /** A wrapper around every process's store (the self-test's broken stores). */
  wrap?: StoreWrap;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** The figures of one window, every process together. */
export interface WindowFigures {
  index: number;
  ops: number;
  p99Ms: number;
  conflicts: number;
  errors: Record<string, number>;
  /** Per process, after a full GC. */
  heapUsed: number[];
  rss: number[];
  storage: Record<string, number>;
  readBack: ReadBackResult;
}

/** Everything a soak run measured. */
export interface SoakRun {
  store: string;
  processes: number;
  durationMs: number;
  windowMs: number;
  windows: WindowFigures[];
  /** The read-back after the load stopped. */
  finalReadBack: ReadBackResult;
  counterMismatches: string[];
  /** Per process: resource types `close()` left behind, with how many. */
  leakedHandles: Array<Record<string, number>>;
  /** Hot-counter increments acknowledged, all processes together. */
  increments: number;
}

/** Short runs are cut in ten windows; from 20 minutes on, windows are one minute. */
export function windowLength(durationMs: number): number {
  return durationMs >= 20 * 60_000 ? 60_000 : Math.max(1000, Math.floor(durationMs / 10));
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function addReadBack(into: ReadBackResult, more: ReadBackResult): void {
  into.checked += more.checked;
  into.lost += more.lost;
  into.resurrected += more.resurrected;
  into.examples.push(...more.examples.slice(0, 5 - into.examples.length));
}

/** A forked worker: send it messages, await its replies by type. */
class WorkerHandle {
  readonly #child: ChildProcess;
  readonly #inbox: WorkerMessage[] = [];
  readonly #waiting: Array<(m: WorkerMessage) => void> = [];
  #failure: Error | undefined;

  constructor(config: WorkerConfig) {
    this.#child = fork(WORKER, [JSON.stringify(config)], {
      execArgv: ['--expose-gc', '--import', TSX],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: WorkerMessage) => {
      if (message.type === 'failed')
        this.#fail(new Error(`worker ${message.workerId}: ${message.message}`));
      else {
        const wake = this.#waiting.shift();
        if (wake) wake(message);
        else this.#inbox.push(message);
      }
    });
    this.#child.on('exit', (code, signal) => {
      if (code !== 0) this.#fail(new Error(`worker ${config.workerId} exited (${code ?? signal})`));
    });
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const wake of this.#waiting.splice(0)) wake({ type: 'failed', workerId: -1, message: '' });
  }

  send(message: HostMessage): void {
    this.#child.send(message);
  }

  async next<T extends WorkerMessage['type']>(
    type: T,
  ): Promise<Extract<WorkerMessage, { type: T }>> {
    const message =
      this.#inbox.shift() ??
      (this.#failure ? undefined : await new Promise<WorkerMessage>((r) => this.#waiting.push(r)));
    if (this.#failure) throw this.#failure;
    if (message?.type !== type) throw new Error(`expected ${type}, got ${message?.type}`);
    return message as Extract<WorkerMessage, { type: T }>;
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

function windowFigures(index: number, reports: WindowReport[]): WindowFigures {
  const latency = emptyHistogram();
  const errors: Record<string, number> = {};
  const readBack: ReadBackResult = { checked: 0, lost: 0, resurrected: 0, examples: [] };
  for (const report of reports) {
    merge(latency, report.latency);
    for (const [code, n] of Object.entries(report.errors)) errors[code] = (errors[code] ?? 0) + n;
    addReadBack(readBack, report.readBack);
  }
  return {
    index,
    ops: reports.reduce((sum, r) => sum + r.ops, 0),
    p99Ms: quantile(latency, 0.99),
    conflicts: reports.reduce((sum, r) => sum + r.conflicts, 0),
    errors,
    heapUsed: reports.map((r) => r.memory.heapUsed),
    rss: reports.map((r) => r.memory.rss),
    storage: reports.find((r) => r.storage)?.storage ?? {},
    readBack,
  };
}

/**
 * Run one soak and return its figures (judge them with `soakChecks`).
 *
 * @example
 * ```ts
 * const run = await runSoak({ backend: sqliteBackend, durationMs: 60_000 });
 * const failed = soakChecks(run).filter((check) => !check.passed);
 * ```
 */
export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const { backend, durationMs } = options;
  const log = options.log ?? (() => {});
  const processes = options.processes ?? backend.processes;
  const windowMs = windowLength(durationMs);
  const windowCount = Math.max(1, Math.round(durationMs / windowMs));
  const deployment = await backend.deploy();
  const workers: WorkerHandle[] = [];
  try {
    const namespace = `soak${randomBytes(4).toString('hex')}`;
    for (let workerId = 0; workerId < processes; workerId++) {
      workers.push(
        new WorkerHandle({
          backend: backend.name,
          connection: deployment.connection,
          namespace,
          workerId,
          rate: options.rate ?? 150,
          lanes: 8,
          ttlMs: options.ttlMs ?? [1000, 4000],
          longSessions: 40,
          hotCounters: 4,
          prunes: workerId === 0,
          runMs: durationMs,
          wrap: options.wrap,
        }),
      );
    }
    await Promise.all(workers.map((w) => w.next('ready')));
    for (const w of workers) w.send({ type: 'start' });
    log(
      `${backend.name}: ${processes} process(es), ${windowCount} windows of ${windowMs / 1000} s`,
    );
    const windows: WindowFigures[] = [];
    const started = Date.now();
    for (let index = 0; index < windowCount; index++) {
      // Windows end on a fixed schedule; the pause to measure one does not shift the next.
      const due = started + (index + 1) * windowMs;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      for (const [i, w] of workers.entries()) w.send({ type: 'window', measureStorage: i === 0 });
      const figures = windowFigures(index, await Promise.all(workers.map((w) => w.next('window'))));
      windows.push(figures);
      log(
        `${backend.name} window ${index + 1}/${windowCount}: ${figures.ops} ops, p99 ${figures.p99Ms.toFixed(2)} ms, ` +
          `heap ${figures.heapUsed.map((b) => (b / 2 ** 20).toFixed(1)).join('/')} MiB, storage ${JSON.stringify(figures.storage)}`,
      );
    }
    for (const w of workers) w.send({ type: 'stop' });
    const drained: DrainedReport[] = await Promise.all(workers.map((w) => w.next('drained')));
    const sumOf = (pick: (d: DrainedReport) => number[]) =>
      (drained[0] ? pick(drained[0]) : []).map((_, i) =>
        drained.reduce((sum, d) => sum + (pick(d)[i] ?? 0), 0),
      );
    const expectedCounters = sumOf((d) => d.acked);
    const uncertainCounters = sumOf((d) => d.uncertain);
    for (const [i, w] of workers.entries()) {
      w.send(
        i === 0 ? { type: 'finish', expectedCounters, uncertainCounters } : { type: 'finish' },
      );
    }
    const done: DoneReport[] = await Promise.all(workers.map((w) => w.next('done')));
    const finalReadBack: ReadBackResult = { checked: 0, lost: 0, resurrected: 0, examples: [] };
    for (const d of done) addReadBack(finalReadBack, d.readBack);
    return {
      store: backend.name,
      processes,
      durationMs,
      windowMs,
      windows,
      finalReadBack,
      counterMismatches: done.flatMap((d) => d.counterMismatches),
      leakedHandles: done.map((d) => d.leakedHandles),
      increments: expectedCounters.reduce((a, b) => a + b, 0),
    };
  } finally {
    for (const w of workers) w.kill();
    await deployment.stop();
  }
}
