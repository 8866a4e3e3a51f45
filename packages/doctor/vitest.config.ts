import { sessionsVitestConfig } from '@sessions/vitest-config';

// The doctor checks every backend: start every backend's test server, and a Redis Cluster.
export default sessionsVitestConfig({
  test: { globalSetup: ['@sessions/test-stores/global-setup', './test/global-setup.ts'] },
});
