/** The cross-process tests' fixtures (test/fixtures/), forked by the shared helper. */
import { type Fixture, forkFixture as fork } from '@sessions/test-services/fixtures';

export type { Fixture, FixtureMessage } from '@sessions/test-services/fixtures';

/** Fork `test/fixtures/<name>` with `args`. */
export function forkFixture(name: string, args: string[]): Fixture {
  return fork(new URL('../fixtures/', import.meta.url), name, args);
}
