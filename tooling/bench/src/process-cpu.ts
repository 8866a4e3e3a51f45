/**
 * CPU time of another process (a database server the benchmark started), read from `/proc`,
 * so that a benchmark can say what each operation costs the server as well as the client.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ: 100 on every Linux ABI). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time used so far by process `pid` (user + system, all its threads), in µs; `undefined`
 * where `/proc` cannot be read (not Linux, or the process is gone).
 *
 * The sum of the threads' `/proc/<pid>/task/<tid>/schedstat` run time (ns) comes first: the
 * process-wide `/proc/<pid>/stat` counts in 10 ms ticks, too coarse for slices of 100 ms. A
 * thread that exits between two readings takes its time with it, which undercounts a server
 * that churns threads; redis-server, FerretDB and the JVM keep theirs. Without schedstat the
 * ticks are used.
 *
 * @example
 * ```ts
 * const before = processCpuMicros(server.pid);
 * await work();
 * const serverUs = (processCpuMicros(server.pid) ?? 0) - (before ?? 0);
 * ```
 */
export function processCpuMicros(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread exited while we listed them: its time is gone either way.
      }
    }
    if (ns > 0) return ns / 1000;
    return statMicros(pid);
  } catch {
    return undefined;
  }
}

/** User + system time from `/proc/<pid>/stat` (fields 14 and 15, after the `(comm)`). */
function statMicros(pid: number): number | undefined {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1e6) / TICKS_PER_SECOND : undefined;
}

/** CPU µs of this process so far (user + system), from `process.cpuUsage()`. */
export function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
