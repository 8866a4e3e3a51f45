// The shared conformance suite, in full, against a standalone redis-server and a Redis Cluster,
// through each client library the store supports.
import { describeStore } from '@sessions/conformance/vitest';
import { afterAll, describe, inject } from 'vitest';
import { CLIENT_FLAVORS, redisFactory } from './support.js';

const url = inject('redisUrl');
const clusterNodes = inject('redisClusterNodes');

describe.each(CLIENT_FLAVORS)('$name', (flavor) => {
  describe.skipIf(!url)('standalone', () => {
    const { factory, close } = redisFactory('redis', { url: url as string }, {}, flavor);
    afterAll(close);
    describeStore(factory);
  });

  describe.skipIf(!clusterNodes)('cluster', () => {
    const target = { clusterNodes: clusterNodes ?? [] };
    const { factory, close } = redisFactory('redis cluster', target, {}, flavor);
    afterAll(close);
    describeStore(factory);
  });
});
