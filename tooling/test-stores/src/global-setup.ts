/**
 * Vitest globalSetup that starts every backend's test server (or uses the `*_URL` variables):
 * for test suites that run on every store, such as the framework adapters'.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default sessionsVitestConfig({ test: { globalSetup: ['@sessions/test-stores/global-setup'] } });
 * ```
 */
import { setupDynamo } from '@sessions/test-services/dynamodb';
import { setupMongo } from '@sessions/test-services/ferretdb';
import { setupPostgres } from '@sessions/test-services/postgres';
import { setupRedis } from '@sessions/test-services/redis';
import type { TestProject } from 'vitest/node';
import './provided.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];
  try {
    // One after another: four servers starting at once on two cores slow each other down.
    teardowns.push(await setupRedis(project));
    teardowns.push(await setupMongo(project));
    teardowns.push(await setupDynamo(project));
    teardowns.push(await setupPostgres(project));
  } catch (err) {
    await Promise.allSettled(teardowns.map((stop) => stop()));
    throw err;
  }
  return async () => {
    await Promise.allSettled(teardowns.map((stop) => stop()));
  };
}
