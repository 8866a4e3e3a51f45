// Redis Cluster through the shared outage harness: one master of a dedicated 3-master cluster
// (no replicas, persistence off) killed with SIGKILL and restarted on the same port, where it
// rejoins with its slots. The stores talk to the whole cluster; the fault hits the sessions in
// the killed master's slots at once, and every session once the other masters see it fail
// (3 s: the test cluster's node timeout) and stop serving (cluster-require-full-coverage).

import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import type { RunningServer } from '@sessions/test-services';
import {
  type RunningRedisCluster,
  redisInstalled,
  startRedisCluster,
} from '@sessions/test-services/redis';
import { RedisStore } from '../src/index.js';

let cluster: RunningRedisCluster | undefined;

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

const storeOn = (scope: string) =>
  new RedisStore({ clusterNodes: cluster?.addresses ?? [], namespace: scope });

describeServerOutage({
  name: 'redis (cluster, one master killed)',
  unavailable: redisInstalled() ? undefined : 'redis-server is not installed',
  start: async () => {
    cluster = await startRedisCluster();
    return victimOf(cluster);
  },
  // The killed master comes back empty; the others keep what they had.
  isEmptyAfterRestart: true,
  createStore: (_server, scope) => storeOn(scope),
  readBack: (_server, scope) => storeReadBack(() => storeOn(scope)),
  // The killed master serves a third of the burst and keeps up with it while it is issued.
  burstFreezesFirst: true,
});
