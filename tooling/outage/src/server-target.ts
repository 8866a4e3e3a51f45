/**
 * A {@link FaultTarget} over a test server started by `@sessions/test-services`: SIGSTOP to
 * freeze, SIGKILL to kill, and a restart on the same port that waits for a real ping.
 */
import type { RunningServer } from '@sessions/test-services';
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
      if (server.pid !== undefined) process.kill(server.pid, 'SIGSTOP');
    },
    kill: () => server.kill('SIGKILL'),
    async restart() {
      await server.restart();
      await options.afterRestart?.();
    },
  };
}
