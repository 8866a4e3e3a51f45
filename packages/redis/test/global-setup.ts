// Starts a standalone redis-server and a 3-master Redis Cluster (or uses REDIS_URL /
// REDIS_CLUSTER_NODES) once for the whole test run.
import { setupRedis, setupRedisCluster } from '@sessions/test-services/redis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The standalone Redis the tests use; undefined when redis-server is not installed. */
    redisUrl: string | undefined;
    /** `host:port` of each cluster node; undefined when redis-server/redis-cli are missing. */
    redisClusterNodes: string[] | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopStandalone = await setupRedis(project);
  try {
    const stopCluster = await setupRedisCluster(project);
    return async () => {
      await Promise.all([stopStandalone(), stopCluster()]);
    };
  } catch (err) {
    await stopStandalone();
    throw err;
  }
}
