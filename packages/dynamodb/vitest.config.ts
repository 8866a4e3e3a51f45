import { fileURLToPath } from 'node:url';
import { sessionsVitestConfig } from '@sessions/vitest-config';

// Under Node 20 the AWS SDK prints a NodeVersionSupportWarning in every process that builds a
// client (its releases after January 2027 need Node 22; see "Node 20" in the README). Set here,
// in vitest's main process, it reaches the global setup and every test worker, and hides only
// that warning: the SDK's own switch, not a filter on process warnings. An explicit
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
