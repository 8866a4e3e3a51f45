// Real servers for test/backends.test.ts, on free loopback ports (or REDIS_URL, MONGODB_URL,
// DYNAMODB_ENDPOINT when set), and Chromium for test/e2e.test.ts. A missing one is reported and
// its tests are skipped (SESSIONS_REQUIRE_ALL_BACKENDS=1 makes it a failure).
import { setupChromium } from '@sessions/test-services/chromium';
import { setupDynamo } from '@sessions/test-services/dynamodb';
import { setupMongo } from '@sessions/test-services/ferretdb';
import { setupRedis } from '@sessions/test-services/redis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | undefined;
    mongoUrl: string | undefined;
    dynamodbEndpoint: string | undefined;
    chromiumPath: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // First, and on its own: a required Chromium that is missing fails before any server starts.
  await setupChromium(project);
  const started = await Promise.allSettled([
    setupRedis(project),
    setupMongo(project),
    setupDynamo(project),
  ]);
  const teardowns = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const teardown = async () => {
    await Promise.all(teardowns.map((stop) => stop()));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Stop the servers that did start: nothing else would, once setup has thrown.
    await teardown();
    throw failed.reason;
  }
  return teardown;
}
