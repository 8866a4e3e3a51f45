// An A/B measure that survives a busy machine: the store and the raw baseline run in short
// alternating slices, and the ratio is the median over many slice pairs, so a burst of load
// from elsewhere hits both sides instead of skewing one row. Each slice also records the CPU
// time it cost, in this process and on the servers (their own `INFO cpu`): throughput swings
// from run to run, CPU per operation much less, and it says which side a gap comes from.
import { type BenchTarget, makePayload } from '@sessions/bench';
import type { Redis } from 'ioredis';

type Op = 'get' | 'set';

/** Options of {@link interleavedRatios}. */
export interface InterleavedOptions {
  ops?: Op[];
  inFlight?: number;
  rounds?: number;
  sliceMs?: number;
  /** Clients of every server (each master of a cluster), to read their CPU time from. */
  servers?: Redis[];
}

/** One slice: operations per second, and CPU µs per operation here and on the servers. */
interface Slice {
  rate: number;
  clientUs: number;
  serverUs: number;
}

/** CPU seconds a server has used (user + system), from its `INFO cpu`. */
async function serverCpu(servers: Redis[]): Promise<number> {
  let total = 0;
  for (const server of servers) {
    const info = await server.info('cpu');
    for (const field of ['used_cpu_user', 'used_cpu_sys']) {
      total += Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    }
  }
  return total;
}

/** `target` doing `op` with `inFlight` at once for `sliceMs`. */
async function slice(
  target: BenchTarget,
  op: Op,
  inFlight: number,
  sliceMs: number,
  servers: Redis[],
): Promise<Slice> {
  const payload = makePayload(1024);
  const serverBefore = await serverCpu(servers);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  let cursor = 0;
  while (performance.now() - started < sliceMs) {
    await Promise.all(
      Array.from({ length: inFlight }, () => {
        const key = `k${(cursor++ % 1000).toString(36).padStart(6, '0')}`;
        return op === 'get' ? target.get(key) : target.set(key, payload, Date.now() + 3_600_000);
      }),
    );
    done += inFlight;
  }
  const elapsed = performance.now() - started;
  const client = process.cpuUsage(clientBefore);
  const serverUs = ((await serverCpu(servers)) - serverBefore) * 1e6;
  return {
    rate: (done * 1000) / elapsed,
    clientUs: (client.user + client.system) / done,
    serverUs: serverUs / done,
  };
}

/** The value at quantile `q` (0.5: the median) of `values`. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

/** What {@link interleavedRatios} found for one operation. */
export interface InterleavedResult {
  op: Op;
  /** Median and quartiles of the store/raw throughput ratios. */
  median: number;
  q1: number;
  q3: number;
  /** Median CPU µs per operation: in this process and on the servers, store and raw. */
  cpu: { client: [number, number]; server: [number, number] };
}

/**
 * Median (and quartiles) of store/raw throughput ratios over alternating slices, with the CPU
 * each side used per operation. Both sides must hold keys `k000000`..: call it after
 * `runStoreBench`, which writes them.
 */
export async function interleavedRatios(
  subject: BenchTarget,
  raw: BenchTarget,
  options: InterleavedOptions = {},
): Promise<InterleavedResult[]> {
  // 41 rounds: with 15, the median of a ratio near 0.9 still moved by ±0.03 between runs.
  const { ops = ['get', 'set'], inFlight = 64, rounds = 41, sliceMs = 200, servers = [] } = options;
  const results: InterleavedResult[] = [];
  for (const op of ops) {
    const ratios: number[] = [];
    const ours: Slice[] = [];
    const theirs: Slice[] = [];
    const run = async (target: BenchTarget, into: Slice[]) =>
      into.push(await slice(target, op, inFlight, sliceMs, servers));
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so a trend in the load favours neither side.
      if (round % 2 === 0) {
        await run(subject, ours);
        await run(raw, theirs);
      } else {
        await run(raw, theirs);
        await run(subject, ours);
      }
      ratios.push((ours[round] as Slice).rate / (theirs[round] as Slice).rate);
    }
    const cpu = (side: Slice[], key: 'clientUs' | 'serverUs') =>
      quantile(
        side.map((s) => s[key]),
        0.5,
      );
    results.push({
      op,
      median: quantile(ratios, 0.5),
      q1: quantile(ratios, 0.25),
      q3: quantile(ratios, 0.75),
      cpu: {
        client: [cpu(ours, 'clientUs'), cpu(theirs, 'clientUs')],
        server: [cpu(ours, 'serverUs'), cpu(theirs, 'serverUs')],
      },
    });
  }
  return results;
}
