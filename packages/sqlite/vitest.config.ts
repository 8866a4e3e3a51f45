import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({
  test: {
    // No server to start: the global setup only makes sure dist is fresh for the worker processes.
    globalSetup: ['./test/global-setup.ts'],
    // One file at a time: the event-loop and lock-bound assertions must not share two cores and
    // one disk with the bounded-storage test's 130,000 commits and their fsyncs.
    fileParallelism: false,
  },
});
