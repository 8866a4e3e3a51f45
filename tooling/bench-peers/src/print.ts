/** The printed comparison of one backend: ratios to the raw row, then rates and CPU per op. */
import { type ContenderResult, formatCost, formatRatio, printTable } from '@sessions/bench';
import type { Backend } from './backend.js';
import type { Cell, Op } from './target.js';

/** What one cell measured. */
export interface CellResult {
  cell: Cell;
  results: ContenderResult[];
}

const OPS: Op[] = ['get', 'set', 'touch', 'delete'];

/** Print `backend`'s results: per concurrency, a ratio table and a cost table. */
export function printBackend(backend: Backend, cells: CellResult[], rounds: number): void {
  console.log(`\n=== ${backend.title}`);
  for (const note of backend.notes) console.log(`  - ${note}`);
  const names = backend.contenders.map((c) => c.name);
  const { serverPids } = backend;
  const servers = typeof serverPids === 'function' ? serverPids() : serverPids;
  const cpu = servers.length > 0 ? 'client|server CPU µs/op' : 'client CPU µs/op';
  for (const inFlight of [...new Set(cells.map((c) => c.cell.inFlight))]) {
    const at = (op: Op, i: number) =>
      cells.find((c) => c.cell.op === op && c.cell.inFlight === inFlight)?.results[i];
    console.log(
      `\n${backend.title}, ${inFlight} in flight: throughput ÷ "${names[0]}", median (quartiles) of ${rounds} interleaved rounds`,
    );
    printTable(
      ['system', ...OPS],
      names.map((name, i) => [name, ...OPS.map((op) => formatRatio(at(op, i)))]),
    );
    console.log(`\n${backend.title}, ${inFlight} in flight: median ops/s, ${cpu}`);
    printTable(
      ['system', ...OPS],
      names.map((name, i) => [name, ...OPS.map((op) => formatCost(at(op, i)))]),
    );
  }
}
