import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({
  test: {
    // Each test is a load run with its own server process: one at a time on small machines.
    fileParallelism: false,
  },
});
