// Real servers for test/backends.test.ts, on free loopback ports (or REDIS_URL, MONGODB_URL,
// DYNAMODB_ENDPOINT when set). A missing server is reported and its tests are skipped.
import { setupDynamo } from '@sessions/test-services/dynamodb';
import { setupMongo } from '@sessions/test-services/ferretdb';
import { setupRedis } from '@sessions/test-services/redis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | undefined;
    mongoUrl: string | undefined;
    dynamodbEndpoint: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns = await Promise.all([
    setupRedis(project),
    setupMongo(project),
    setupDynamo(project),
  ]);
  return async () => {
    await Promise.all(teardowns.map((teardown) => teardown()));
  };
}
