// Redis through the shared outage harness (issue 10): a dedicated redis-server (persistence
// off, so a restart comes back empty) killed with SIGKILL and restarted on the same port, through
// each client library the store supports. A node-redis client gets at most 250 ms to connect
// (the cold-start scenario creates the store while the server is down).
import { niced } from '@sessions/outage';
import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import { reportMissingBackend, startServer } from '@sessions/test-services';
import { REDIS_INSTALL, redisInstalled, redisSpec } from '@sessions/test-services/redis';
import { RedisStore } from '../src/index.js';
import { CLIENT_FLAVORS } from './support.js';

const installed = redisInstalled();
if (!installed) reportMissingBackend('redis', 'redis-server is not on PATH', REDIS_INSTALL);

for (const flavor of CLIENT_FLAVORS) {
  const storeOn = (url: string, scope: string) => flavor.open({ url }, { namespace: scope }, 250);
  describeServerOutage({
    name: `redis (standalone, ${flavor.name})`,
    unavailable: installed ? undefined : 'redis-server is not installed',
    start: () => startServer(niced(redisSpec)),
    isEmptyAfterRestart: true,
    // A standalone Redis answers a whole burst of 2,000 pipelined writes within milliseconds:
    // frozen first, the kill is sure to land with the burst in flight.
    burstFreezesFirst: true,
    createStore: (server, scope) => storeOn(server.url, scope),
    // Read back through a store of its own on ioredis: independent of the client under test.
    readBack: (server, scope) =>
      storeReadBack(() => new RedisStore({ url: server.url, namespace: scope })),
  });
}
