/**
 * The operations that touch many items: reading a user's sessions through the user index,
 * deleting them, and scanning a namespace. Each request is bounded on its own (a user or a
 * namespace may need many pages); throttled batch leftovers are retried a bounded number of
 * times.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  QueryCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { ATTR, type Item } from './item.js';
import { SOURCE } from './options.js';
import type { RequestRunner } from './runner.js';

/** What the bulk operations need from the store. */
export interface BulkContext {
  client: DynamoDBClient;
  tableName: string;
  userIndexName: string;
  runner: RequestRunner;
}

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 requests. */
const BATCH_GET_MAX = 100;
const BATCH_WRITE_MAX = 25;
/** Rounds of retrying what a batch left unprocessed (throttling) before giving up. */
const UNPROCESSED_ROUNDS = 8;

type Key = Record<string, AttributeValue>;

/**
 * The primary keys the user index holds for `uid`, all pages. With `liveAt`, only items whose
 * indexed `exp` is after it. The index is eventually consistent: callers re-read the items.
 */
export async function queryUserIndex(
  ctx: BulkContext,
  uid: string,
  liveAt?: number,
): Promise<string[]> {
  const keys: string[] = [];
  let start: Key | undefined;
  do {
    const out = await ctx.runner.op('query user index', (abortSignal) =>
      ctx.client.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: ctx.userIndexName,
          KeyConditionExpression: '#uid = :uid',
          ...(liveAt === undefined
            ? { ExpressionAttributeNames: { '#uid': ATTR.userId } }
            : {
                FilterExpression: '#exp > :now',
                ExpressionAttributeNames: { '#uid': ATTR.userId, '#exp': ATTR.expiresAt },
              }),
          ExpressionAttributeValues: {
            ':uid': { S: uid },
            ...(liveAt === undefined ? {} : { ':now': { N: String(liveAt) } }),
          },
          ExclusiveStartKey: start,
        }),
        { abortSignal },
      ),
    );
    for (const item of out.Items ?? []) {
      const pk = item[ATTR.key]?.S;
      if (pk !== undefined) keys.push(pk);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** Read items by primary key, strongly consistent, in batches of 100. Missing items are absent. */
export async function batchGet(ctx: BulkContext, pks: string[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < pks.length; i += BATCH_GET_MAX) {
    let request: KeysAndAttributes | undefined = {
      Keys: pks.slice(i, i + BATCH_GET_MAX).map((pk) => ({ [ATTR.key]: { S: pk } })),
      ConsistentRead: true,
    };
    for (let round = 0; request?.Keys?.length; round++) {
      if (round === UNPROCESSED_ROUNDS) throw throttled('BatchGetItem');
      if (round > 0) await backoff(round);
      const keys: KeysAndAttributes = request;
      const out = await ctx.runner.op('read sessions', (abortSignal) =>
        ctx.client.send(new BatchGetItemCommand({ RequestItems: { [ctx.tableName]: keys } }), {
          abortSignal,
        }),
      );
      items.push(...(out.Responses?.[ctx.tableName] ?? []));
      request = out.UnprocessedKeys?.[ctx.tableName];
    }
  }
  return items;
}

/**
 * Every item of the namespace (`pk` starting with `prefix`), page by page, strongly
 * consistent. A Scan reads the whole table, whatever the namespace: fine for `clear()` and
 * admin listings, never for the request path. `projection` limits the attributes returned.
 */
export async function scanNamespace(
  ctx: BulkContext,
  prefix: string,
  onPage: (items: Item[]) => Promise<void>,
  options: { liveAt?: number; keysOnly?: boolean } = {},
): Promise<void> {
  let start: Key | undefined;
  do {
    const live = options.liveAt !== undefined;
    const out = await ctx.runner.op('scan namespace', (abortSignal) =>
      ctx.client.send(
        new ScanCommand({
          TableName: ctx.tableName,
          ConsistentRead: true,
          FilterExpression: live
            ? 'begins_with(#pk, :prefix) AND #exp > :now'
            : 'begins_with(#pk, :prefix)',
          ExpressionAttributeNames: live
            ? { '#pk': ATTR.key, '#exp': ATTR.expiresAt }
            : { '#pk': ATTR.key },
          ExpressionAttributeValues: live
            ? { ':prefix': { S: prefix }, ':now': { N: String(options.liveAt) } }
            : { ':prefix': { S: prefix } },
          ...(options.keysOnly ? { ProjectionExpression: '#pk' } : {}),
          ExclusiveStartKey: start,
        }),
        { abortSignal },
      ),
    );
    if (out.Items?.length) await onPage(out.Items);
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Delete items by primary key, unconditionally, in batches of 25. */
export async function batchDelete(ctx: BulkContext, pks: string[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < pks.length; i += BATCH_WRITE_MAX) {
    batches.push(
      pks
        .slice(i, i + BATCH_WRITE_MAX)
        .map((pk) => ({ DeleteRequest: { Key: { [ATTR.key]: { S: pk } } } })),
    );
  }
  await forEachLimited(batches, 4, async (batch) => {
    let pending: WriteRequest[] | undefined = batch;
    for (let round = 0; pending?.length; round++) {
      if (round === UNPROCESSED_ROUNDS) throw throttled('BatchWriteItem');
      if (round > 0) await backoff(round);
      const requests: WriteRequest[] = pending;
      const out = await ctx.runner.op('delete sessions', (abortSignal) =>
        ctx.client.send(
          new BatchWriteItemCommand({ RequestItems: { [ctx.tableName]: requests } }),
          { abortSignal },
        ),
      );
      pending = out.UnprocessedItems?.[ctx.tableName];
    }
  });
}

/**
 * Run `fn` over `items`, at most `limit` at a time. Stops starting new work after the first
 * failure, waits for what is in flight, then rejects with that failure (never leaves a
 * rejection unhandled).
 */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

function backoff(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** round, 1000)));
}

function throttled(operation: string): UnavailableError {
  return new UnavailableError(
    SOURCE,
    `${operation} left items unprocessed after ${UNPROCESSED_ROUNDS} rounds (throttled)`,
  );
}
