/**
 * The session manager's load-and-save, the work of a request that finds its session and changes
 * it: `load(token)` (one store `get`), a change to the data, `save` (one compare-and-set `set`).
 * Several configurations of one backend (no listeners, listeners on every event, telemetry...)
 * run as contenders of one interleaved run, so their ratios to the first are measured under the
 * same load. Each contender has its own manager and sessions; the rows differ only in what is
 * attached to the manager and its store.
 */
import type { SessionManager } from '@sessions/core';
import { makePayload } from './index.js';
import type { Contender, ContenderResult, SliceWork } from './interleaved.js';
import { Interleaver } from './interleaved.js';
import { formatCost, formatRatio, printTable } from './report.js';

/** One cell of the manager bench: how many load-and-saves are in flight at once. */
export interface ManagerCell {
  inFlight: number;
}

/** The session data the bench stores: a realistic payload and a counter each save bumps. */
export interface ManagerBenchData {
  payload: Record<string, unknown>;
  n: number;
}

/** Options of {@link managerContender}. */
export interface ManagerContenderOptions {
  /** Sessions saved up front and cycled through; default 1000. */
  sessions?: number;
  /** Encoded payload size in bytes; default about 1 KiB. */
  payloadBytes?: number;
}

/**
 * A contender doing load-and-save through `manager`. Call its `setup()` before the run: it saves
 * the sessions the slices load.
 *
 * @example
 * ```ts
 * const baseline = managerContender('baseline', createSessionManager({ store: new MemoryStore() }));
 * await baseline.setup();
 * ```
 */
export function managerContender(
  name: string,
  manager: SessionManager<ManagerBenchData>,
  options: ManagerContenderOptions = {},
): Contender<ManagerCell> & { setup(): Promise<void> } {
  const tokens: string[] = [];
  let cursor = 0;
  const loadAndSave = async (): Promise<void> => {
    const token = tokens[cursor++ % tokens.length];
    const session = await manager.load(token);
    if (session === undefined) throw new Error(`${name}: a bench session was not found`);
    session.data.n += 1;
    const { status } = await manager.save(session);
    if (status !== 'saved') throw new Error(`${name}: a save came back ${status}`);
  };
  return {
    name,
    async setup() {
      const payload = makePayload(options.payloadBytes ?? 1024);
      for (let i = 0; i < (options.sessions ?? 1000); i++) {
        const session = manager.create({ data: { payload, n: 0 } });
        await manager.save(session);
        tokens.push(session.token);
      }
    },
    work(cell): SliceWork {
      return {
        async batch() {
          if (cell.inFlight === 1) {
            await loadAndSave();
            return 1;
          }
          const all: Array<Promise<void>> = [];
          for (let i = 0; i < cell.inFlight; i++) all.push(loadAndSave());
          await Promise.all(all);
          return cell.inFlight;
        },
      };
    },
  };
}

/** Options of {@link runManagerBench}. */
export interface ManagerBenchOptions {
  /** Concurrency levels; default `[1, 64]`. */
  inFlight?: number[];
  /** Rounds per cell; default BENCH_ROUNDS or 20. */
  rounds?: number;
  /** Measuring time per contender and cell in ms; default BENCH_TIME_MS or 2000. */
  timeMs?: number;
  /** Lines printed under the title: what the rows are. */
  notes?: string[];
}

/**
 * Measure every contender's load-and-save at each concurrency in one interleaved run, print
 * the ratios to the first contender (median and quartiles over the rounds) and the rates with
 * CPU per operation, and return the results per concurrency.
 */
export async function runManagerBench(
  title: string,
  contenders: ReadonlyArray<Contender<ManagerCell> & { setup(): Promise<void> }>,
  options: ManagerBenchOptions = {},
): Promise<Array<{ inFlight: number; results: ContenderResult[] }>> {
  const rounds = options.rounds ?? Math.round(Number(process.env.BENCH_ROUNDS ?? 20));
  const timeMs = options.timeMs ?? Number(process.env.BENCH_TIME_MS ?? 2000);
  for (const contender of contenders) await contender.setup();
  const run = new Interleaver(contenders, { rounds, sliceMs: timeMs / rounds });
  const cells = (options.inFlight ?? [1, 64]).map((inFlight) => ({ inFlight }));
  for (const cell of cells) await run.warmUp(cell);
  const measured: Array<{ inFlight: number; results: ContenderResult[] }> = [];
  for (const cell of cells)
    measured.push({ inFlight: cell.inFlight, results: await run.cell(cell) });
  console.log(`\n=== ${title}: manager load-and-save (load, change, save)`);
  for (const note of options.notes ?? []) console.log(`  - ${note}`);
  console.log(
    `\nthroughput ÷ "${contenders[0]?.name}", median (quartiles) of ${rounds} interleaved rounds of ${(timeMs / rounds).toFixed(0)} ms; median ops/s and client CPU µs/op`,
  );
  const header = [
    'system',
    ...measured.flatMap((m) => [`${m.inFlight} in flight`, 'ops/s, µs/op']),
  ];
  printTable(
    header,
    contenders.map((contender, i) => [
      contender.name,
      ...measured.flatMap((m) => [formatRatio(m.results[i]), formatCost(m.results[i])]),
    ]),
  );
  return measured;
}
