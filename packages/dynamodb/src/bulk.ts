/**
 * The requests that touch many items, one page at a time for the kit: a Query or a Scan, and
 * the batch of work on what it found, under the page's own deadline. Throttled batch leftovers
 * are sent again after a backoff, within that deadline.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  QueryCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { more, type NextPage, type Operation, retryWithin } from '@sessions/core/kit';
import type { DynamoDBDriver } from './dynamodb-driver.js';
import { ATTR, type Item, keyOf } from './item.js';
import { SOURCE } from './options.js';

/** A position in a Query or Scan (its `LastEvaluatedKey`): the kit's cursor. */
export type Key = Record<string, AttributeValue>;

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 requests. */
export const BATCH_GET_MAX = 100;
const BATCH_WRITE_MAX = 25;

/** The value of a page, and the cursor of the next one when there is more. */
export function page<T>(value: T, next: Key | undefined): T | NextPage<T> {
  return next === undefined ? value : more(value, next);
}

/**
 * A page of items: with `uid` (namespaced), from the user index (eventually consistent: callers
 * read or condition the items themselves); without, from a strongly consistent Scan of the table
 * filtered to the namespace (the whole table, whatever the namespace: for `clear()` and admin
 * listings only). With `liveAt`, only items whose `exp` is after it; without, a Scan returns
 * `pk` alone.
 */
export async function readPage(
  t: DynamoDBDriver,
  op: Operation,
  start: Key | undefined,
  q: { uid?: string; liveAt?: number; limit?: number },
) {
  const { uid, liveAt } = q;
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const filters: string[] = [];
  if (uid === undefined) {
    names['#pk'] = ATTR.key;
    values[':prefix'] = { S: t.prefix };
    filters.push('begins_with(#pk, :prefix)');
  } else {
    names['#uid'] = ATTR.userId;
    values[':uid'] = { S: uid };
  }
  if (liveAt !== undefined) {
    names['#exp'] = ATTR.expiresAt;
    values[':now'] = { N: String(liveAt) };
    filters.push('#exp > :now');
  }
  const input = {
    TableName: t.tableName,
    FilterExpression: filters.length === 0 ? undefined : filters.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ExclusiveStartKey: start,
    Limit: q.limit,
  };
  const out = await t.send(op, (o) =>
    uid === undefined
      ? t.client.send(
          new ScanCommand({
            ...input,
            ConsistentRead: true,
            ProjectionExpression: liveAt === undefined ? '#pk' : undefined,
          }),
          o,
        )
      : t.client.send(
          new QueryCommand({
            ...input,
            IndexName: t.userIndexName,
            KeyConditionExpression: '#uid = :uid',
          }),
          o,
        ),
  );
  return { items: out.Items ?? [], next: out.LastEvaluatedKey };
}

/** Read up to 100 items by primary key, strongly consistent. Missing items are absent. */
export async function batchGet(t: DynamoDBDriver, op: Operation, pks: string[]): Promise<Item[]> {
  const items: Item[] = [];
  if (pks.length === 0) return items;
  await untilProcessed(op, pks.map(keyOf), async (Keys) => {
    const command = new BatchGetItemCommand({
      RequestItems: { [t.tableName]: { Keys, ConsistentRead: true } },
    });
    const out = await t.send(op, (o) => t.client.send(command, o));
    items.push(...(out.Responses?.[t.tableName] ?? []));
    return out.UnprocessedKeys?.[t.tableName]?.Keys;
  });
  return items;
}

/** Delete items by primary key, unconditionally, in batches of 25 sent together. */
export async function batchDelete(t: DynamoDBDriver, op: Operation, pks: string[]): Promise<void> {
  const batches: Array<Promise<unknown>> = [];
  for (let i = 0; i < pks.length; i += BATCH_WRITE_MAX) {
    const requests: WriteRequest[] = pks
      .slice(i, i + BATCH_WRITE_MAX)
      .map((pk) => ({ DeleteRequest: { Key: keyOf(pk) } }));
    const sent = untilProcessed(op, requests, async (pending) => {
      const command = new BatchWriteItemCommand({ RequestItems: { [t.tableName]: pending } });
      const out = await t.send(op, (o) => t.client.send(command, o));
      return out.UnprocessedItems?.[t.tableName];
    });
    batches.push(sent);
  }
  await Promise.all(batches);
}

/**
 * Send `first`, then what DynamoDB left unprocessed (throttling) after a growing backoff,
 * until nothing is left; a backoff that would outlast the deadline gives up instead.
 */
function untilProcessed<T>(
  op: Operation,
  first: T[],
  send: (pending: T[]) => Promise<T[] | undefined>,
): Promise<true> {
  let pending = first;
  return retryWithin(
    op,
    { firstMs: 50, factor: 2 },
    async () => {
      const left = await send(pending);
      if (!left?.length) return true;
      pending = left;
      return undefined;
    },
    () => new UnavailableError(SOURCE, `${op.name}: DynamoDB left items unprocessed (throttled)`),
  );
}

/** The partition keys of `items`. */
export function keysOf(items: Item[]): string[] {
  return items.flatMap((item) => item[ATTR.key]?.S ?? []);
}
