/**
 * The stores a load run uses, named as the demo's `SESSION_STORE` names them: SQLite in a file
 * of a fresh temporary directory, Redis on a private `redis-server` (on a free loopback port,
 * from @sessions/test-services) unless `REDIS_URL` names one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisInstalled, startRedis } from '@sessions/test-services/redis';

/** The stores `--store` accepts. */
export const STORES = ['sqlite', 'redis'] as const;
/** One of {@link STORES}. */
export type StoreName = (typeof STORES)[number];

/** A store ready for a run. */
export interface StoreDeployment {
  /** `sqlite:<file>` or `redis://…`, as the demo's `SESSION_STORE`. */
  spec: string;
  /** Stop the server, remove the files. */
  stop(): Promise<void>;
}

/** Why `name` cannot run here, or undefined when it can. */
export function storeUnavailable(name: StoreName): string | undefined {
  if (name === 'redis' && !process.env.REDIS_URL && !redisInstalled()) {
    return 'redis-server is not installed';
  }
  return undefined;
}

/**
 * Start (or make) the store for one run.
 *
 * @example
 * ```ts
 * const store = await deployStore('sqlite');
 * // … serve an app on store.spec …
 * await store.stop();
 * ```
 */
export async function deployStore(name: StoreName): Promise<StoreDeployment> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-load-'));
    return {
      spec: `sqlite:${join(dir, 'sessions.db')}`,
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (process.env.REDIS_URL) return { spec: process.env.REDIS_URL, stop: async () => {} };
  const server = await startRedis();
  return { spec: server.url, stop: () => server.stop() };
}
