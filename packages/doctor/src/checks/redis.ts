/**
 * Redis: the eviction policy (the classic way sessions vanish), persistence, cluster slot
 * coverage, clock skew and a round trip through `RedisStore`.
 */
import type { Redis as RedisClient } from 'ioredis';
import { load } from '../load.js';
import type { CheckResult } from '../types.js';
import { clockSkew } from './clock-skew.js';
import { describeError, fail, pass, warn } from './result.js';
import { roundTrip } from './round-trip.js';
import type { StoreCheckContext } from './store-context.js';

/** The `key:value` lines of an INFO section. */
function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

async function configGet(client: RedisClient, name: string): Promise<string | undefined> {
  const reply = (await client.call('CONFIG', 'GET', name)) as string[];
  return reply[1];
}

/** `maxmemory-policy`: `allkeys-*` evicts live sessions; `volatile-*` evicts exactly them. */
export async function checkEviction(client: RedisClient): Promise<CheckResult> {
  const id = 'redis.maxmemory-policy';
  let policy: string | undefined;
  try {
    policy = await configGet(client, 'maxmemory-policy');
  } catch (error) {
    // Managed services (ElastiCache, Upstash...) often disable CONFIG.
    return warn(
      id,
      `CONFIG GET is refused (${describeError(error)}), so the eviction policy is unknown`,
      "check the provider's settings: maxmemory-policy should be noeviction",
    );
  }
  if (policy === undefined) return warn(id, 'the server did not report maxmemory-policy', '');
  if (policy.startsWith('allkeys-')) {
    return fail(
      id,
      `maxmemory-policy is ${policy}: when memory runs out, Redis evicts live sessions (users are logged out)`,
      'CONFIG SET maxmemory-policy noeviction (and in redis.conf), or a Redis of its own for sessions',
    );
  }
  if (policy.startsWith('volatile-')) {
    return warn(
      id,
      `maxmemory-policy is ${policy}: it spares keys without a TTL, but every session has one, so sessions are what gets evicted under memory pressure`,
      'noeviction makes a full Redis fail writes loudly instead; keep volatile-* only with memory headroom (volatile-ttl evicts the sessions nearest expiry first)',
    );
  }
  return pass(
    id,
    `maxmemory-policy is ${policy}: a full Redis refuses writes, it never evicts sessions`,
  );
}

/** Persistence: none means a restart logs everyone out; a failing one is worse than none. */
export async function checkPersistence(client: RedisClient): Promise<CheckResult> {
  const id = 'redis.persistence';
  const info = infoFields(await client.info('persistence'));
  if (info.get('rdb_last_bgsave_status') === 'err' || info.get('aof_last_write_status') === 'err') {
    return fail(
      id,
      'the last RDB snapshot or AOF write failed (INFO persistence)',
      "read Redis's log: usually a full disk or a permission on its dir",
    );
  }
  const aof = info.get('aof_enabled') === '1';
  let save: string | undefined;
  try {
    save = await configGet(client, 'save');
  } catch {
    save = undefined; // CONFIG refused: judge by INFO alone.
  }
  if (aof) return pass(id, 'AOF is on: a restart keeps sessions (up to the last fsync)');
  if (save !== undefined && save.trim() !== '') {
    return pass(
      id,
      `RDB snapshots (save ${save}): a crash loses the sessions changed since the last snapshot`,
    );
  }
  if (save === undefined) {
    return warn(id, 'AOF is off and the snapshot schedule is unknown (CONFIG refused)', '');
  }
  return warn(
    id,
    'no persistence (no AOF, no RDB snapshots): a Redis restart logs every user out',
    'CONFIG SET appendonly yes (and in redis.conf), or accept logouts on restart',
  );
}

/** Whether the server is a Redis Cluster node. */
async function isCluster(client: RedisClient): Promise<boolean> {
  return infoFields(await client.info('cluster')).get('cluster_enabled') === '1';
}

/** On a cluster, every one of the 16384 slots must be served, or some sessions are unreachable. */
export async function checkClusterSlots(client: RedisClient): Promise<CheckResult> {
  const id = 'redis.cluster-slots';
  if (!(await isCluster(client))) return pass(id, 'standalone Redis (not a cluster)');
  const ranges = (await client.call('CLUSTER', 'SLOTS')) as Array<[number, number, ...unknown[]]>;
  const covered = ranges.reduce((sum, [start, end]) => sum + (end - start + 1), 0);
  const state = infoFields(String(await client.call('CLUSTER', 'INFO'))).get('cluster_state');
  if (covered < 16384 || state !== 'ok') {
    return fail(
      id,
      `the cluster serves ${covered} of 16384 slots (cluster_state ${state}): sessions that hash to the others fail`,
      'assign the missing slots (redis-cli --cluster fix host:port) and check failed masters',
    );
  }
  return pass(id, `all 16384 slots are served by ${ranges.length} ranges (cluster_state ok)`);
}

/** Every Redis check, on a client made from `url`. */
export async function redisChecks(url: string, context: StoreCheckContext): Promise<CheckResult[]> {
  const { Redis, Cluster } = await load('ioredis', () => import('ioredis'));
  const { RedisStore, boundedClusterOptions, boundedRedisOptions } = await load(
    '@sessions/redis',
    () => import('@sessions/redis'),
  );
  // Fail fast: a refused connection is an answer here, not something to wait out.
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: context.timeout,
    commandTimeout: context.timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The event carries the cause (ECONNREFUSED...); the rejected connect only "closed".
  let cause: unknown;
  probe.on('error', (error) => {
    cause = error;
  });
  try {
    await probe.connect();
  } catch (error) {
    probe.disconnect();
    return [context.unreachable(describeError(cause ?? error))];
  }
  try {
    const results = [
      await checkEviction(probe),
      await checkPersistence(probe),
      await checkClusterSlots(probe),
      await clockSkew(async () => {
        const [seconds, micros] = (await probe.call('TIME')) as [string, string];
        return Number(seconds) * 1000 + Number(micros) / 1000;
      }, context.clock),
    ];
    const clustered = await isCluster(probe);
    const { host, port } = probe.options;
    const redisOptions = { ...boundedRedisOptions(context.timeout), ...passwordOf(url) };
    const client = clustered
      ? new Cluster([{ host, port }], boundedClusterOptions(context.timeout, redisOptions))
      : new Redis(url, boundedRedisOptions(context.timeout));
    client.on('error', () => {});
    const store = new RedisStore({ client, ...context.storeOptions });
    try {
      results.push(await roundTrip(store, context.clock));
    } finally {
      await store.close();
      client.disconnect();
    }
    return results;
  } finally {
    probe.disconnect();
  }
}

/** The credentials of a `redis://user:pass@…` URL, for the cluster's node connections. */
function passwordOf(url: string): { username?: string; password?: string } {
  const { username, password } = new URL(url);
  return {
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
}
