import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({
  test: {
    // The end-to-end test installs, builds and tests a scaffolded package in a workspace copy.
    testTimeout: 180_000,
  },
});
