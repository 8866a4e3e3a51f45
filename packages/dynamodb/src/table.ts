/**
 * The table the store needs, as a CreateTable input (also the shape to copy into
 * infrastructure as code), and `ensureTable`: create it, wait for ACTIVE, add the user index
 * and TTL when missing. Idempotent, and safe when several processes race to do it.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { ATTR } from './item.js';
import { SOURCE } from './options.js';

/**
 * The table definition: on-demand billing, `pk` as partition key, and a global secondary
 * index on `uid` projecting the keys and `exp` (listing reads the items themselves, strongly
 * consistent). Pair it with TTL on the `ttl` attribute ({@link TTL_ATTRIBUTE}).
 *
 * @example
 * ```ts
 * await client.send(new CreateTableCommand(tableDefinition('sessions')));
 * ```
 */
export function tableDefinition(
  tableName: string,
  userIndexName = 'uid-index',
): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: ATTR.key, AttributeType: 'S' },
      { AttributeName: ATTR.userId, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: ATTR.key, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [userIndexDefinition(userIndexName)],
  };
}

/** The attribute DynamoDB's TTL must be enabled on. */
export const TTL_ATTRIBUTE = ATTR.ttl;

function userIndexDefinition(indexName: string) {
  return {
    IndexName: indexName,
    KeySchema: [{ AttributeName: ATTR.userId, KeyType: 'HASH' as const }],
    Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [ATTR.expiresAt] },
  };
}

/** Runs one control-plane request, bounded and cancellable (the store's request runner). */
export type Send = <T>(
  operation: string,
  request: (signal: AbortSignal) => Promise<T>,
) => Promise<T>;

/** Settings of a {@link TableManager}. */
export interface TableManagerOptions {
  client: DynamoDBClient;
  tableName: string;
  userIndexName: string;
  /** Bounds how long `ensure` waits for ACTIVE, in ms. */
  waitTimeoutMs: number;
  send: Send;
}

/**
 * Knows whether the table is ready, and makes it so. Concurrent callers share one attempt; a
 * failure reaches every waiter and the next call tries again.
 */
export class TableManager {
  #ready = false;
  #pending: Promise<void> | undefined;

  constructor(private readonly options: TableManagerOptions) {}

  /** True once the table was seen ACTIVE with its index and TTL. */
  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Make sure the table is ready; concurrent calls share one attempt. `knownMissing` (a
   * request just failed with ResourceNotFoundException) skips straight to creating it.
   */
  ensure(knownMissing = false): Promise<void> {
    if (this.#ready) return Promise.resolve();
    this.#pending ??= this.#ensureOnce(knownMissing).then(
      () => {
        this.#ready = true;
        this.#pending = undefined;
      },
      (err: unknown) => {
        // Forget the failed attempt so the next caller tries again.
        this.#pending = undefined;
        throw err;
      },
    );
    return this.#pending;
  }

  /**
   * The table was reported missing (DynamoDB Local restarted in memory, or someone deleted it):
   * check again on the next `ensure()`. A check already under way is kept, not restarted.
   */
  forget(): void {
    this.#ready = false;
  }

  async #ensureOnce(knownMissing: boolean): Promise<void> {
    const { userIndexName } = this.options;
    const deadline = Date.now() + this.options.waitTimeoutMs;
    let table = knownMissing ? undefined : await this.#describe();
    if (!table) {
      const created = await this.#create();
      if (created) {
        // Waits only where creation takes time (AWS); DynamoDB Local answers ACTIVE at once.
        if (!isActive(created, userIndexName)) await this.#waitActive(deadline);
        await this.#ensureTtl(true);
        return;
      }
      // Another process created it first: from here on, it is an existing table.
      table = await this.#waitActive(deadline);
    }
    if (!isActive(table, userIndexName)) table = await this.#waitActive(deadline);
    if (!hasIndex(table, userIndexName)) {
      await this.#addIndex();
      await this.#waitActive(deadline);
    }
    await this.#ensureTtl(false);
  }

  /** CreateTable; resolves to the new table, or undefined when another process created it first. */
  async #create(): Promise<TableDescription | undefined> {
    const { client, tableName, userIndexName, send } = this.options;
    try {
      const out = await send('CreateTable', (abortSignal) =>
        client.send(new CreateTableCommand(tableDefinition(tableName, userIndexName)), {
          abortSignal,
        }),
      );
      return out.TableDescription;
    } catch (err) {
      // Another process created it first: wait for theirs instead.
      if (errorName(err) !== 'ResourceInUseException') throw err;
      return undefined;
    }
  }

  async #describe(): Promise<TableDescription | undefined> {
    const { client, tableName, send } = this.options;
    try {
      const out = await send('DescribeTable', (abortSignal) =>
        client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal }),
      );
      return out.Table;
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }

  /** Poll until the table (and the user index, if present) is ACTIVE, or the deadline passes. */
  async #waitActive(deadline: number): Promise<TableDescription> {
    let delay = 50;
    for (;;) {
      const table = await this.#describe();
      if (table && isActive(table, this.options.userIndexName)) return table;
      if (Date.now() + delay > deadline) {
        throw new UnavailableError(
          SOURCE,
          `table "${this.options.tableName}" was not ACTIVE within ${this.options.waitTimeoutMs} ms (status ${table?.TableStatus ?? 'missing'})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }

  /** Add the user index to a table created without it (by hand, or by an older definition). */
  async #addIndex(): Promise<void> {
    const { client, tableName, userIndexName, send } = this.options;
    try {
      await send('UpdateTable', (abortSignal) =>
        client.send(
          new UpdateTableCommand({
            TableName: tableName,
            AttributeDefinitions: [{ AttributeName: ATTR.userId, AttributeType: 'S' }],
            GlobalSecondaryIndexUpdates: [{ Create: userIndexDefinition(userIndexName) }],
          }),
          { abortSignal },
        ),
      );
    } catch (err) {
      // A racing process is adding it (or already did): the wait that follows settles it.
      const table = await this.#describe();
      if (!table || !hasIndex(table, userIndexName)) throw err;
    }
  }

  /** Enable TTL on `ttl`. `fresh`: we just created the table, so it cannot be on yet. */
  async #ensureTtl(fresh: boolean): Promise<void> {
    const { client, tableName, send } = this.options;
    const describe = async () => {
      const out = await send('DescribeTimeToLive', (abortSignal) =>
        client.send(new DescribeTimeToLiveCommand({ TableName: tableName }), { abortSignal }),
      );
      return out.TimeToLiveDescription;
    };
    const enabledOn = (ttl: Awaited<ReturnType<typeof describe>>) =>
      ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING'
        ? ttl.AttributeName
        : undefined;
    const current = fresh ? undefined : enabledOn(await describe());
    if (current === undefined) {
      try {
        await send('UpdateTimeToLive', (abortSignal) =>
          client.send(
            new UpdateTimeToLiveCommand({
              TableName: tableName,
              TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
            }),
            { abortSignal },
          ),
        );
        return;
      } catch (err) {
        // "TimeToLive is already enabled": a racing process won. Anything else is real.
        if (enabledOn(await describe()) !== TTL_ATTRIBUTE) throw err;
        return;
      }
    }
    if (current !== TTL_ATTRIBUTE) {
      // A table has one TTL attribute; on another one, sessions would never be collected.
      throw new UnavailableError(
        SOURCE,
        `table "${tableName}" has TTL on "${current}"; the session store needs it on "${TTL_ATTRIBUTE}"`,
      );
    }
  }
}

function hasIndex(table: TableDescription, indexName: string): boolean {
  return (table.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === indexName);
}

function isActive(table: TableDescription, indexName: string): boolean {
  if (table.TableStatus !== 'ACTIVE') return false;
  const index = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  return index === undefined || index.IndexStatus === 'ACTIVE';
}

/** The exception name of an AWS SDK error (`ResourceNotFoundException`...), if any. */
export function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
