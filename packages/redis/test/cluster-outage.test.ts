// Redis Cluster through the shared outage harness: one master of a dedicated 3-master cluster
// (no replicas, persistence off) killed with SIGKILL and restarted on the same port, where it
// rejoins with its slots. The fault hits the sessions in the killed master's slots at once,
// and every session once the other masters see it fail (3 s: the test cluster's node timeout)
// and stop serving (cluster-require-full-coverage).
//
// Each scenario's store keeps all its sessions in the killed master's slots (one bucket, in a
// namespace picked for it). Spread over three masters, the few random keys a scenario uses
// right after the kill missed the killed master about one run in five, and no operation failed.
//
// Run through each client library the store supports (a node-redis client gets at most 250 ms
// to connect: the cold-start scenario creates the store while the master is down).

import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import type { RunningServer } from '@sessions/test-services';
import {
  type RunningRedisCluster,
  redisInstalled,
  startRedisCluster,
} from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/index.js';
import { hashSlot, KeyLayout } from '../src/layout.js';
import { CLIENT_FLAVORS, type ClientFlavor, type SlotRange, slotRanges } from './support.js';

let cluster: RunningRedisCluster | undefined;
/** The slot ranges the killed master serves. */
let victimSlots: SlotRange[] = [];

/** The slot ranges a master serves, from its own `CLUSTER SLOTS`. */
async function slotsServedBy(master: RunningServer): Promise<SlotRange[]> {
  const client = new Redis(master.url);
  try {
    return (await slotRanges(client)).filter(({ port }) => port === master.port);
  } finally {
    client.disconnect();
  }
}

/** The scope with the first suffix that puts a one-bucket namespace on the killed master. */
function namespaceOnVictim(scope: string): string {
  // The killed master serves a third of the slots: a suffix is found in about three tries.
  for (let suffix = 0; suffix < 1000; suffix++) {
    const namespace = `${scope}_${suffix}`;
    const slot = hashSlot((new KeyLayout(namespace, 1).tags[0] as string).slice(1, -1));
    if (victimSlots.some(({ low, high }) => slot >= low && slot <= high)) return namespace;
  }
  throw new Error(`no namespace for ${scope} falls in the killed master's slots`);
}

/** The cluster as the harness's "server": its first master is the one killed and restarted. */
function victimOf(started: RunningRedisCluster): RunningServer {
  const victim = started.nodes[0] as RunningServer;
  return {
    name: 'redis-cluster (first master)',
    port: victim.port,
    url: victim.url,
    dir: victim.dir,
    get pid() {
      return victim.pid;
    },
    kill: (signal) => victim.kill(signal),
    restart: () => victim.restart(),
    stop: () => started.stop(),
  };
}

/** A one-bucket store of `scope` on the killed master's slots. */
const storeOn = (scope: string, flavor: ClientFlavor) =>
  flavor.open(
    { clusterNodes: cluster?.addresses ?? [] },
    { namespace: namespaceOnVictim(scope), buckets: 1 },
    250,
  );

/** The same, on ioredis: the read-back's independent client. */
const readBackStore = (scope: string) =>
  new RedisStore({
    clusterNodes: cluster?.addresses ?? [],
    namespace: namespaceOnVictim(scope),
    buckets: 1,
  });

for (const flavor of CLIENT_FLAVORS)
  describeServerOutage({
    name: `redis (cluster, one master killed, ${flavor.name})`,
    unavailable: redisInstalled() ? undefined : 'redis-server is not installed',
    start: async () => {
      cluster = await startRedisCluster();
      const victim = victimOf(cluster);
      victimSlots = await slotsServedBy(victim);
      return victim;
    },
    // The killed master comes back empty; the others keep what they had.
    isEmptyAfterRestart: true,
    createStore: (_server, scope) => storeOn(scope, flavor),
    readBack: (_server, scope) => storeReadBack(() => readBackStore(scope)),
    // A master answers a burst about as fast as the client issues it (only 90 to 200 of the
    // 2,000 writes were still in flight at the kill): frozen first, the whole burst is.
    burstFreezesFirst: true,
    // No latency scenarios: a cluster client follows the nodes' announced addresses, past a proxy.
    proxied: false,
  });
