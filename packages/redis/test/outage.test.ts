// Redis through the shared outage harness (issue 10): a dedicated redis-server (persistence
// off, so a restart comes back empty) killed with SIGKILL and restarted on the same port.
import { niced } from '@sessions/outage';
import { describeServerOutage, storeReadBack } from '@sessions/outage/vitest';
import { reportMissingBackend, startServer } from '@sessions/test-services';
import { REDIS_INSTALL, redisInstalled, redisSpec } from '@sessions/test-services/redis';
import { RedisStore } from '../src/index.js';

const installed = redisInstalled();
if (!installed) reportMissingBackend('redis', 'redis-server is not on PATH', REDIS_INSTALL);

describeServerOutage({
  name: 'redis (standalone)',
  unavailable: installed ? undefined : 'redis-server is not installed',
  start: () => startServer(niced(redisSpec)),
  isEmptyAfterRestart: true,
  createStore: (server, scope) => new RedisStore({ url: server.url, namespace: scope }),
  readBack: (server, scope) =>
    storeReadBack(() => new RedisStore({ url: server.url, namespace: scope })),
});
