/**
 * Which store the demo runs on, from `SESSION_STORE`:
 *
 * - unset or empty: SQLite, the file `demo-sessions.db` in the working directory;
 * - `sqlite:<path>`: SQLite, that file;
 * - `redis://…` / `rediss://…`: Redis;
 * - `mongodb://…` / `mongodb+srv://…`: MongoDB (FerretDB 1.x, which has no TTL indexes, needs
 *   `MONGODB_EXPIRY_MODE=prune`);
 * - `dynamodb://host:port?table=…&region=…`: DynamoDB at `http://host:port` (DynamoDB Local);
 * - `postgres://…` / `postgresql://…`: PostgreSQL (the table is created if absent).
 *
 * Each backend's package is imported only when chosen, so the default needs only SQLite.
 */
import { resolve } from 'node:path';
import type { SessionStore } from '@sessions/core';

/** The file the default SQLite store uses, relative to the working directory. */
export const DEFAULT_SQLITE_FILE = 'demo-sessions.db';
/** The namespace the demo's sessions live under on shared servers. */
export const NAMESPACE = 'demo';
/** The DynamoDB table when the URL names none. */
export const DEFAULT_DYNAMODB_TABLE = 'demo-sessions';

/** A parsed `SESSION_STORE`. */
export type StoreChoice =
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string }
  | { kind: 'mongodb'; url: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'dynamodb'; endpoint: string; table: string; region: string };

/** Parse `SESSION_STORE`; throws a message that lists what is accepted. */
export function parseStoreChoice(spec: string | undefined, cwd = process.cwd()): StoreChoice {
  const value = spec?.trim() ?? '';
  if (value === '') return { kind: 'sqlite', file: resolve(cwd, DEFAULT_SQLITE_FILE) };
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length);
    if (file !== '') return { kind: 'sqlite', file: resolve(cwd, file) };
  }
  if (/^rediss?:\/\//.test(value)) return { kind: 'redis', url: value };
  if (/^mongodb(\+srv)?:\/\//.test(value)) return { kind: 'mongodb', url: value };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  if (value.startsWith('dynamodb://')) {
    const url = new URL(value);
    if (url.host !== '') {
      return {
        kind: 'dynamodb',
        endpoint: `http://${url.host}`,
        table: url.searchParams.get('table') || DEFAULT_DYNAMODB_TABLE,
        region: url.searchParams.get('region') || 'us-east-1',
      };
    }
  }
  throw new Error(
    `SESSION_STORE=${JSON.stringify(value)} is not understood. Use nothing (SQLite in ./${DEFAULT_SQLITE_FILE}), ` +
      'sqlite:<file>, redis://host:port, mongodb://host:port/db, postgres://user@host:port/db ' +
      'or dynamodb://host:port?table=name',
  );
}

/** A line for the console: where sessions are kept (no passwords from URLs). */
export function describeChoice(choice: StoreChoice): string {
  switch (choice.kind) {
    case 'sqlite':
      return `SQLite file ${choice.file}`;
    case 'dynamodb':
      return `DynamoDB at ${choice.endpoint}, table ${choice.table}`;
    default: {
      const url = new URL(choice.url);
      const names = { redis: 'Redis', mongodb: 'MongoDB', postgres: 'PostgreSQL' } as const;
      return `${names[choice.kind]} at ${url.host}`;
    }
  }
}

/** How a MongoDB store removes expired sessions (see @sessions/mongodb, "Expiry"). */
export type MongoExpiryMode = 'ttl-index' | 'prune' | 'both';

/** Backend settings that do not fit in a URL. */
export interface StoreTuning {
  /** For MongoDB: `ttl-index` (default), or `prune` on servers without TTL indexes. */
  mongoExpiryMode?: MongoExpiryMode | undefined;
}

/** Read {@link StoreTuning} from the environment (`MONGODB_EXPIRY_MODE`). */
export function tuningFromEnv(env: Record<string, string | undefined> = process.env): StoreTuning {
  const mode = env.MONGODB_EXPIRY_MODE;
  if (mode === undefined || mode === '') return {};
  if (mode !== 'ttl-index' && mode !== 'prune' && mode !== 'both') {
    throw new Error(
      `MONGODB_EXPIRY_MODE must be ttl-index, prune or both, got ${JSON.stringify(mode)}`,
    );
  }
  return { mongoExpiryMode: mode };
}

/** Open the chosen store. Connections are made lazily, on the first request. */
export async function openStore(
  choice: StoreChoice,
  tuning: StoreTuning = {},
): Promise<SessionStore> {
  switch (choice.kind) {
    case 'sqlite': {
      const { SqliteStore } = await import('@sessions/sqlite');
      return new SqliteStore({ database: choice.file, namespace: NAMESPACE });
    }
    case 'redis': {
      const { RedisStore } = await import('@sessions/redis');
      return new RedisStore({ url: choice.url, namespace: NAMESPACE });
    }
    case 'mongodb': {
      const { MongoDBStore } = await import('@sessions/mongodb');
      return new MongoDBStore({
        url: choice.url,
        namespace: NAMESPACE,
        ...(tuning.mongoExpiryMode ? { expiryMode: tuning.mongoExpiryMode } : {}),
      });
    }
    case 'postgres': {
      const { PostgresStore } = await import('@sessions/postgres');
      return new PostgresStore({ url: choice.url, namespace: NAMESPACE });
    }
    case 'dynamodb': {
      const { DynamoDBStore } = await import('@sessions/dynamodb');
      return new DynamoDBStore({
        tableName: choice.table,
        namespace: NAMESPACE,
        clientConfig: {
          endpoint: choice.endpoint,
          region: choice.region,
          // DynamoDB Local accepts any credentials; real ones come from the environment.
          ...(process.env.AWS_ACCESS_KEY_ID
            ? {}
            : { credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } }),
        },
      });
    }
  }
}
