/**
 * The table the store needs, as a CreateTable input (also the shape to copy into
 * infrastructure as code), and the driver's `prepare`: create it, wait for ACTIVE, add the user
 * index and TTL when missing. Idempotent, and safe when several processes race to do it.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { type Operation, retryWithin } from '@sessions/core/kit';
import { onAwsError } from './conditions.js';
import type { DynamoDBDriver } from './dynamodb-driver.js';
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

function userIndexDefinition(IndexName: string) {
  return {
    IndexName,
    KeySchema: [{ AttributeName: ATTR.userId, KeyType: 'HASH' as const }],
    Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [ATTR.expiresAt] },
  };
}

type Table = Pick<DynamoDBDriver, 'client' | 'tableName' | 'userIndexName' | 'requestTimeout'>;
/** A failure kept as a value, to be rethrown after a check; `undefined` on success. */
type Failed = { error: unknown } | undefined;
const failure = (error: unknown): Failed => ({ error });

/**
 * Make the table ready within `op`'s deadline: describe it (unless `knownMissing`: a request
 * just met ResourceNotFoundException), create it or wait for the one another process created,
 * add the user index and TTL when missing.
 */
export async function ensureTable(t: Table, op: Operation, knownMissing = false): Promise<void> {
  let table = knownMissing ? undefined : await describe(t, op);
  let created = false;
  if (!table) {
    const create = new CreateTableCommand(tableDefinition(t.tableName, t.userIndexName));
    table = await send(t, op, (o) => t.client.send(create, o)).then(
      (out) => out.TableDescription,
      // Another process created it first: wait for theirs instead.
      onAwsError('ResourceInUseException', undefined),
    );
    created = table !== undefined;
  }
  // DynamoDB Local answers ACTIVE at once; AWS takes a while.
  if (!table || !isActive(table, t.userIndexName)) table = await waitActive(t, op);
  if (!hasIndex(table, t.userIndexName)) {
    const update = new UpdateTableCommand({
      TableName: t.tableName,
      AttributeDefinitions: [{ AttributeName: ATTR.userId, AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: userIndexDefinition(t.userIndexName) }],
    });
    // A racing process may be adding it too: the wait settles it (the index or the error).
    const failed = await send(t, op, (o) => t.client.send(update, o)).then(
      () => undefined,
      failure,
    );
    table = await waitActive(t, op);
    if (failed && !hasIndex(table, t.userIndexName)) throw failed.error;
  }
  await ensureTtl(t, op, created);
}

/**
 * One control-plane request: cancelled by `op.signal`, and bounded by `requestTimeout` too when
 * the operation has longer (an `ensureTable()` may take minutes, one DescribeTable may not).
 */
function send<T>(
  t: Table,
  op: Operation,
  request: (o: { abortSignal: AbortSignal }) => Promise<T>,
) {
  const abortSignal =
    op.remaining() <= t.requestTimeout
      ? op.signal
      : AbortSignal.any([op.signal, AbortSignal.timeout(t.requestTimeout)]);
  return request({ abortSignal });
}

function describe(t: Table, op: Operation): Promise<TableDescription | undefined> {
  const command = new DescribeTableCommand({ TableName: t.tableName });
  return send(t, op, (o) => t.client.send(command, o)).then(
    (out) => out.Table,
    onAwsError('ResourceNotFoundException', undefined),
  );
}

/** Poll until the table (and the user index, if present) is ACTIVE, within the deadline. */
function waitActive(t: Table, op: Operation): Promise<TableDescription> {
  let status = 'missing';
  return retryWithin(
    op,
    { firstMs: 50, factor: 1.5, maxMs: 2000 },
    async () => {
      const table = await describe(t, op);
      status = table?.TableStatus ?? 'missing';
      return table && isActive(table, t.userIndexName) ? table : undefined;
    },
    () => new UnavailableError(SOURCE, `table "${t.tableName}" was not ACTIVE in time (${status})`),
  );
}

/** Enable TTL on `ttl`. `fresh`: we just created the table, so it cannot be on yet. */
async function ensureTtl(t: Table, op: Operation, fresh: boolean): Promise<void> {
  const enabledOn = async () => {
    const command = new DescribeTimeToLiveCommand({ TableName: t.tableName });
    const ttl = (await send(t, op, (o) => t.client.send(command, o))).TimeToLiveDescription;
    const on = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
    return on ? ttl?.AttributeName : undefined;
  };
  const current = fresh ? undefined : await enabledOn();
  if (current === TTL_ATTRIBUTE) return;
  if (current !== undefined) {
    // A table has one TTL attribute; on another one, sessions would never be collected.
    throw new UnavailableError(
      SOURCE,
      `table "${t.tableName}" has TTL on "${current}"; the session store needs it on "${TTL_ATTRIBUTE}"`,
    );
  }
  const update = new UpdateTimeToLiveCommand({
    TableName: t.tableName,
    TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
  });
  const failed = await send(t, op, (o) => t.client.send(update, o)).then(() => undefined, failure);
  // "TimeToLive is already enabled": a racing process won. Anything else is real.
  if (failed && (await enabledOn()) !== TTL_ATTRIBUTE) throw failed.error;
}

function hasIndex(table: TableDescription, indexName: string): boolean {
  return (table.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === indexName);
}

function isActive(table: TableDescription, indexName: string): boolean {
  const index = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  return table.TableStatus === 'ACTIVE' && (index === undefined || index.IndexStatus === 'ACTIVE');
}
