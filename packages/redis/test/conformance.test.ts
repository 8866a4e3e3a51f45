// The shared conformance suite, in full, against a standalone redis-server and a Redis Cluster.
import { describeStore } from '@sessions/conformance/vitest';
import { afterAll, describe, inject } from 'vitest';
import { redisFactory } from './support.js';

const url = inject('redisUrl');
const clusterNodes = inject('redisClusterNodes');

describe.skipIf(!url)('standalone', () => {
  const { factory, close } = redisFactory('redis', { url: url as string });
  afterAll(close);
  describeStore(factory);
});

describe.skipIf(!clusterNodes)('cluster', () => {
  const { factory, close } = redisFactory('redis cluster', { clusterNodes: clusterNodes ?? [] });
  afterAll(close);
  describeStore(factory);
});
