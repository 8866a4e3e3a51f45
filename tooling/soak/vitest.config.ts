import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({
  test: {
    // Each test is a 16 s soak with its own worker processes: one at a time on small machines.
    fileParallelism: false,
  },
});
