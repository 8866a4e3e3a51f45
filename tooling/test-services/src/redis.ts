/**
 * Redis for tests: a standalone `redis-server` and a 3-master Redis Cluster, each on free
 * loopback ports, with persistence off. `REDIS_URL` / `REDIS_CLUSTER_NODES` point the tests at
 * existing servers instead. The machine's own Redis (6379) is never used.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { reportMissingBackend } from './backends.js';
import { type RunningServer, type ServerSpec, startServer, waitUntilReady } from './launcher.js';
import { which } from './which.js';

const run = promisify(execFile);

/** The command that installs `redis-server` and `redis-cli` on Debian/Ubuntu. */
export const REDIS_INSTALL = 'apt-get install -y redis-server';

/**
 * The part of vitest's `TestProject` that {@link setupRedis} and {@link setupRedisCluster} use.
 * Typed structurally because this package does not depend on vitest; the consuming package
 * declares the provided keys:
 *
 * ```ts
 * declare module 'vitest' {
 *   export interface ProvidedContext {
 *     redisUrl: string | undefined;
 *     redisClusterNodes: string[] | undefined;
 *   }
 * }
 * ```
 */
export interface RedisProvider {
  provide(key: 'redisUrl', value: string | undefined): void;
}

/** Like {@link RedisProvider}, for the cluster's node addresses (`host:port`). */
export interface RedisClusterProvider {
  provide(key: 'redisClusterNodes', value: string[] | undefined): void;
}

/**
 * Run `fn` on a one-shot client that fails at once instead of retrying: for probes, where a
 * refused connection is an answer, not something to wait out.
 */
async function withProbeClient<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // A refused connection is reported through the rejected promise; the event is noise.
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** Resolve when the Redis at `url` answers PING; reject otherwise. Never retries by itself. */
export async function pingRedis(url: string): Promise<void> {
  await withProbeClient(url, (client) => client.ping());
}

/** Arguments shared by every test server: loopback only, nothing written to disk. */
function baseArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
}

/** How to run a standalone `redis-server` for tests. */
export const redisSpec: ServerSpec = {
  name: 'redis',
  command: (port, dir) => ({ cmd: 'redis-server', args: baseArgs(port, dir) }),
  url: (port) => `redis://127.0.0.1:${port}`,
  ping: pingRedis,
  readyTimeoutMs: 15_000,
};

/**
 * How to run one node of a test cluster. Its identity lives in `<dir>/nodes.conf`, which
 * `kill()` keeps, so a `restart()`ed node rejoins the cluster with the same slots.
 */
export const redisClusterNodeSpec: ServerSpec = {
  name: 'redis-cluster-node',
  command: (port, dir) => ({
    cmd: 'redis-server',
    args: [
      ...baseArgs(port, dir),
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `${dir}/nodes.conf`,
      '--cluster-node-timeout',
      '3000',
      // A replica's first sync starts at once, not after the default 5 s wait for more
      // replicas to share the transfer: tests that promote a replica wait for it to be in sync.
      '--repl-diskless-sync-delay',
      '0',
    ],
  }),
  url: (port) => `redis://127.0.0.1:${port}`,
  ping: pingRedis,
  readyTimeoutMs: 15_000,
};

/** Whether this machine can run the Redis test servers. */
export function redisInstalled(): boolean {
  return which('redis-server') !== undefined && which('redis-cli') !== undefined;
}

/**
 * Start a standalone `redis-server` (on `port`, default a free one), for tests that kill and
 * restart it. A restart loses every key (persistence is off) and every loaded script.
 *
 * @example
 * ```ts
 * const server = await startRedis();
 * await server.kill();    // connections are refused now
 * await server.restart(); // same port, empty
 * await server.stop();
 * ```
 */
export function startRedis(port?: number): Promise<RunningServer> {
  return startServer(redisSpec, port);
}

/** A cluster started by {@link startRedisCluster}. */
export interface RunningRedisCluster {
  /** Every node (the masters, then any replicas), each killable and restartable on its own. */
  readonly nodes: RunningServer[];
  /** `host:port` of every node: what `new Cluster(...)` and `REDIS_CLUSTER_NODES` take. */
  readonly addresses: string[];
  /** Stop every node and remove their files. Safe to call twice. */
  stop(): Promise<void>;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A cluster node also listens on port + 10000 (the cluster bus), so both must be free and the
// bus port must stay a valid port: base ports are drawn below 55535.
const LOWEST_BASE = 20_000;
const HIGHEST_BASE = 55_534;

/** A free port whose cluster-bus port (port + 10000) is free too, not in `taken`. */
export async function freeClusterPort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST_BASE + Math.floor(Math.random() * (HIGHEST_BASE - LOWEST_BASE));
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('found no free port pair (port, port + 10000) for a cluster node');
}

async function clusterInfo(address: string): Promise<Record<string, string>> {
  const text = await withProbeClient(
    `redis://${address}`,
    async (client) => (await client.call('CLUSTER', 'INFO')) as string,
  );
  return Object.fromEntries(text.split('\r\n').map((line) => line.split(':') as [string, string]));
}

/** Resolve once every node reports `cluster_state:ok`, knows every node and all 16384 slots. */
export async function waitForClusterOk(addresses: string[], timeoutMs = 30_000): Promise<void> {
  await waitUntilReady(
    'redis cluster',
    async () => {
      for (const address of addresses) {
        const info = await clusterInfo(address);
        const ok =
          info.cluster_state === 'ok' &&
          info.cluster_slots_assigned === '16384' &&
          info.cluster_known_nodes === String(addresses.length);
        if (!ok) throw new Error(`${address} is not ready: ${JSON.stringify(info)}`);
      }
    },
    timeoutMs,
  );
}

/**
 * Start a Redis Cluster of `masters` masters (3 by default), each with `replicasPerMaster`
 * replicas (none by default), on free loopback ports, and wait until every node says
 * `cluster_state:ok`. `nodes` lists the masters first, then the replicas, as `redis-cli
 * --cluster create` paired them when it was asked (it assigns roles itself: read them back
 * with `CLUSTER NODES` before relying on who replicates whom).
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const client = new Cluster(cluster.addresses.map((a) => ({ host: '127.0.0.1', port: Number(a.split(':')[1]) })));
 * await cluster.stop();
 * ```
 */
export async function startRedisCluster(
  masters = 3,
  replicasPerMaster = 0,
): Promise<RunningRedisCluster> {
  const nodes: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const taken = new Set<number>();
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      const port = await freeClusterPort(taken);
      taken.add(port);
      nodes.push(await startServer(redisClusterNodeSpec, port));
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        String(replicasPerMaster),
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    await waitForClusterOk(addresses);
    return { nodes, addresses, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Vitest globalSetup helper: provides `redisUrl`. Uses `REDIS_URL` when set; else starts a
 * standalone `redis-server`; else (not installed) reports the backend missing and provides
 * `undefined`. Returns the teardown.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupRedis } from '@sessions/test-services/redis';
 * export default (project: TestProject) => setupRedis(project);
 * ```
 */
export async function setupRedis(project: RedisProvider): Promise<() => Promise<void>> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    project.provide('redisUrl', fromEnv);
    return async () => {};
  }
  if (!which('redis-server')) {
    reportMissingBackend('redis', 'redis-server is not on PATH', REDIS_INSTALL);
    project.provide('redisUrl', undefined);
    return async () => {};
  }
  const server = await startRedis();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}

/**
 * Vitest globalSetup helper: provides `redisClusterNodes` (`host:port` of each node). Uses
 * `REDIS_CLUSTER_NODES` (comma-separated `host:port`) when set; else starts a 3-master
 * cluster; else (not installed) reports the backend missing and provides `undefined`.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupRedisCluster } from '@sessions/test-services/redis';
 * export default (project: TestProject) => setupRedisCluster(project);
 * ```
 */
export async function setupRedisCluster(
  project: RedisClusterProvider,
): Promise<() => Promise<void>> {
  const fromEnv = process.env.REDIS_CLUSTER_NODES;
  if (fromEnv) {
    const addresses = fromEnv
      .split(',')
      .map((address) => address.trim())
      .filter((address) => address.length > 0);
    project.provide('redisClusterNodes', addresses);
    return async () => {};
  }
  if (!redisInstalled()) {
    reportMissingBackend('redis', 'redis-server or redis-cli is not on PATH', REDIS_INSTALL);
    project.provide('redisClusterNodes', undefined);
    return async () => {};
  }
  const cluster = await startRedisCluster();
  project.provide('redisClusterNodes', cluster.addresses);
  return () => cluster.stop();
}
