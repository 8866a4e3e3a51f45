import { sessionsVitestConfig } from '@sessions/vitest-config';

/** Marks the rejections the self-test provokes on purpose to prove the harness sees them. */
export const DELIBERATE = 'outage-self-test: deliberate';

export default sessionsVitestConfig({
  test: {
    // The self-test's broken store leaks a rejection on purpose; the harness must count it.
    // Vitest would otherwise fail the run for it, so only that marked one is let through.
    onUnhandledError(error: Error) {
      // Returning false drops the error from the run's report; anything else keeps it.
      if (String(error?.message ?? '').includes(DELIBERATE)) return false;
    },
  },
});
