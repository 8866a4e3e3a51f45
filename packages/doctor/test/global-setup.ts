// A Redis Cluster for the slot-coverage check (or REDIS_CLUSTER_NODES), on top of every
// backend's server from @sessions/test-stores (see vitest.config.ts).
import { setupRedisCluster } from '@sessions/test-services/redis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of each cluster node; undefined when redis-server is not installed. */
    redisClusterNodes: string[] | undefined;
  }
}

export default (project: TestProject) => setupRedisCluster(project);
