/**
 * Every built-in store on its test server, so a suite can run once per store:
 *
 * ```ts
 * for (const kind of testStoreKinds()) {
 *   describe.skipIf(!kind.available)(kind.name, () => myScenarios(kind.create));
 * }
 * ```
 *
 * Each store gets a fresh namespace and its own client, which `close()` releases.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Codec, MemoryStore, type SessionData, type SessionStore } from '@sessions/core';
import { DynamoDBStore } from '@sessions/dynamodb';
import { MongoDBStore } from '@sessions/mongodb';
import { PostgresStore } from '@sessions/postgres';
import { RedisStore } from '@sessions/redis';
import { SqliteStore } from '@sessions/sqlite';
import { DYNAMODB_LOCAL_CREDENTIALS } from '@sessions/test-services/dynamodb';
import { detectMongoServer } from '@sessions/test-services/ferretdb';
import { inject } from 'vitest';
import './provided.js';

/** Options every kind's `create` accepts. */
export interface TestStoreOptions {
  codec?: Codec<SessionData>;
}

/** One kind of store, ready to build on its test server. */
export interface TestStoreKind {
  name: string;
  /** False when this machine has no server for it (the run reports it as not tested). */
  available: boolean;
  create(options?: TestStoreOptions): Promise<SessionStore>;
}

function namespace(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** Every built-in store: memory, SQLite, Redis, MongoDB (wire), DynamoDB (Local), PostgreSQL. */
export function testStoreKinds(): TestStoreKind[] {
  const redisUrl = inject('redisUrl');
  const mongoUrl = inject('mongoUrl');
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const postgresUrl = inject('postgresUrl');
  return [
    {
      name: 'memory',
      available: true,
      create: async (o = {}) =>
        new MemoryStore<SessionData>({ codec: o.codec, namespace: namespace() }),
    },
    {
      name: 'sqlite',
      available: true,
      create: async (o = {}) =>
        new SqliteStore<SessionData>({
          database: join(mkdtempSync(join(tmpdir(), 'sessions-test-')), 'sessions.db'),
          codec: o.codec,
          namespace: namespace(),
        }),
    },
    {
      name: 'redis',
      available: redisUrl !== undefined,
      create: async (o = {}) =>
        new RedisStore<SessionData>({ url: redisUrl, codec: o.codec, namespace: namespace() }),
    },
    {
      name: 'mongodb',
      available: mongoUrl !== undefined,
      create: async (o = {}) => {
        const server = await detectMongoServer(mongoUrl as string);
        return new MongoDBStore<SessionData>({
          url: mongoUrl,
          dbName: 'sessions_adapter_tests',
          expiryMode: server.expiryMode,
          codec: o.codec,
          namespace: namespace(),
        });
      },
    },
    {
      name: 'dynamodb',
      available: dynamodbEndpoint !== undefined,
      create: async (o = {}) =>
        new DynamoDBStore<SessionData>({
          clientConfig: { ...DYNAMODB_LOCAL_CREDENTIALS, endpoint: dynamodbEndpoint },
          tableName: 'sessions_adapter_tests',
          codec: o.codec,
          namespace: namespace(),
        }),
    },
    {
      name: 'postgres',
      available: postgresUrl !== undefined,
      create: async (o = {}) =>
        new PostgresStore<SessionData>({
          url: postgresUrl,
          codec: o.codec,
          namespace: namespace(),
        }),
    },
  ];
}
