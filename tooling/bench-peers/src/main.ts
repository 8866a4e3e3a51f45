/**
 * `pnpm bench` for what users compare: on each backend, the simplest raw work that does the
 * job, our store used directly, our store through the Express and Fastify adapters, and the
 * peer stores through the same framework interface, measured in one interleaved run.
 *
 * Environment: BENCH_TIME_MS (measuring time per system and cell, default 600),
 * BENCH_ROUNDS (slices it is cut into, default 5), BENCH_BACKENDS (comma-separated subset of
 * memory, sqlite, redis, postgres, mongodb, dynamodb), BENCH_JSON (a file to write the results to).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Interleaver } from '@sessions/bench';
import type { BackendSpec } from './backend.js';
import { dynamodb } from './backends/dynamodb.js';
import { memory } from './backends/memory.js';
import { mongodb } from './backends/mongodb.js';
import { postgres } from './backends/postgres.js';
import { redis } from './backends/redis.js';
import { sqlite } from './backends/sqlite.js';
import { type CellResult, printBackend } from './print.js';
import type { Cell, Op } from './target.js';

const SPECS: BackendSpec[] = [memory, sqlite, redis, postgres, mongodb, dynamodb];
const OPS: Op[] = ['get', 'set', 'touch', 'delete'];
const IN_FLIGHT = [1, 64];

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number`);
  return value;
}

const timeMs = positive('BENCH_TIME_MS', 600);
const rounds = Math.round(positive('BENCH_ROUNDS', 5));
const sliceMs = timeMs / rounds;
const wanted = process.env.BENCH_BACKENDS?.split(',').map((s) => s.trim());
const specs = wanted ? SPECS.filter((s) => wanted.includes(s.name)) : SPECS;

const load = loadavg().map((l) => l.toFixed(2));
console.log(
  `Peers and raw work, interleaved: ${rounds} rounds of ${sliceMs.toFixed(0)} ms per system and cell ` +
    `(BENCH_TIME_MS=${timeMs}, BENCH_ROUNDS=${rounds}); ${cpus().length} CPUs, load average ${load.join(' ')}.`,
);
console.log(
  "Framework rows are measured at the store interface: the adapter's or peer's get/set/touch/destroy, " +
    "called with callbacks and the framework's own Session and Cookie objects as the framework calls them; no HTTP.",
);
console.log(
  'Sessions: ~1.2 KiB of JSON with the cookie; 32-character IDs as express-session makes them; every system has its own keys.',
);

const all: Array<{ backend: string; cells: CellResult[] }> = [];
for (const spec of specs) {
  const backend = await spec.open(spec.poolSize);
  try {
    const cells: Cell[] = (backend.inFlight ?? IN_FLIGHT).flatMap((inFlight) =>
      OPS.map((op) => ({ op, inFlight })),
    );
    for (const contender of backend.contenders) await contender.setup();
    const run = new Interleaver(backend.contenders, {
      rounds,
      sliceMs,
      serverPids: backend.serverPids,
    });
    for (const cell of cells) await run.warmUp(cell);
    const measured: CellResult[] = [];
    for (const cell of cells) measured.push({ cell, results: await run.cell(cell) });
    printBackend(backend, measured, rounds);
    all.push({ backend: backend.title, cells: measured });
  } finally {
    await backend.close();
  }
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(all, null, 2));
// Some peers keep timers of their own (better-sqlite3-session-store's cleanup interval).
process.exit(0);
