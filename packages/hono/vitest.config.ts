import { sessionsVitestConfig } from '@sessions/vitest-config';

// The middleware runs on every store: start every backend's test server.
export default sessionsVitestConfig({
  test: { globalSetup: ['@sessions/test-stores/global-setup'] },
});
