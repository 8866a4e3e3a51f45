import { fileURLToPath } from 'node:url';
import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({
  // The README's example imports the package by name: run it against the source, not dist.
  resolve: {
    alias: { '@sessions/dynamodb': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    // Starts DynamoDB Local (in memory, 127.0.0.1) once, or uses DYNAMODB_ENDPOINT.
    globalSetup: ['./test/global-setup.ts'],
    // One file at a time: the outage and failure tests assert 2 s bounds with thousands of
    // operations in flight, which must not share two cores with the conformance suite's load.
    fileParallelism: false,
  },
});
