/**
 * A {@link FaultTarget} over a test server started by `@sessions/test-services`: SIGSTOP to
 * freeze and SIGCONT to thaw (to its whole process group), SIGKILL to kill, and a restart on the same port that waits for a real ping.
 */
import { type RunningServer, type ServerSpec, which } from '@sessions/test-services';
import type { FaultTarget } from './types.js';

/** Options of {@link serverTarget}. */
export interface ServerTargetOptions {
  /** True when the server loses its data on a restart (no persistence, in-memory mode). */
  isEmptyAfterRestart: boolean;
  /** Whether a key is in the server, through a second client independent of the store. */
  readBack(key: string): Promise<boolean>;
  /**
   * Part of `restart()`, after the launcher's ping: resolve once the server serves a real
   * request from an independent client. A JVM-based emulator answers its first data request
   * only after a warm-up; the store's recovery is measured from here, not from the ping.
   */
  afterRestart?(): Promise<void>;
}

/**
 * Wrap a running test server as a fault target.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * const target = serverTarget(redis, { isEmptyAfterRestart: true, readBack: (k) => raw.exists(k) });
 * ```
 */
export function serverTarget(server: RunningServer, options: ServerTargetOptions): FaultTarget {
  return {
    isEmptyAfterRestart: options.isEmptyAfterRestart,
    readBack: (key) => options.readBack(key),
    freeze() {
      // A stopped process keeps its sockets open but answers nothing: replies already on the
      // wire still arrive, nothing new does. SIGKILL ends a stopped process like any other.
      // The launcher signals the server's whole process group: every process of it stops
      // (PostgreSQL's postmaster and each connection's backend, not the postmaster alone).
      void server.kill('SIGSTOP');
    },
    thaw() {
      void server.kill('SIGCONT');
    },
    kill: () => server.kill('SIGKILL'),
    async restart() {
      await server.restart();
      await options.afterRestart?.();
    },
  };
}

/**
 * The same server, started at a lower CPU priority (`nice -n 10`) when `nice` is available.
 * In production the database runs on other machines; in the tests it shares two cores with
 * the process being measured, and a JVM starting up would otherwise starve that process and
 * show up as the store's waits. `nice` execs the server, so it stays in the process group the
 * harness freezes and kills.
 */
export function niced(spec: ServerSpec): ServerSpec {
  const nice = which('nice');
  if (!nice) return spec;
  return {
    ...spec,
    command(port, dir) {
      const { cmd, args, env } = spec.command(port, dir);
      return { cmd: nice, args: ['-n', '10', cmd, ...args], env };
    },
  };
}
