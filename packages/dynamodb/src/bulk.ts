/**
 * The requests that touch many items, one page at a time for the kit: a Query or a Scan, and
 * the batch of work on what it found, under the page's own deadline. Throttled batch leftovers
 * are sent again after a backoff, within that deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { more, type NextPage, type Operation } from '@sessions/core/kit';
import { ATTR, type Item } from './item.js';
import { SOURCE } from './options.js';

/** A position in a Query or Scan (its `LastEvaluatedKey`): the kit's cursor. */
export type Key = Record<string, AttributeValue>;

/** What the bulk requests need from the driver. */
export interface BulkTarget {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly userIndexName: string;
  /** `<namespace>#`. */
  readonly prefix: string;
  /** One request, within the store's request slots, cancelled by `op.signal`. */
  send<T>(op: Operation, request: (o: { abortSignal: AbortSignal }) => Promise<T>): Promise<T>;
}

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 requests. */
export const BATCH_GET_MAX = 100;
const BATCH_WRITE_MAX = 25;

/** The value of a page, and the cursor of the next one when there is more. */
export function page<T>(value: T, next: Key | undefined): T | NextPage<T> {
  return next === undefined ? value : more(value, next);
}

/** What {@link readPage} reads. */
export interface PageQuery {
  /** Query the user index for this (namespaced) owner; without it, Scan the namespace. */
  uid?: string;
  /** Only items whose `exp` is after this; without it, a Scan returns `pk` alone. */
  liveAt?: number;
  limit?: number;
}

/**
 * A page of items: from the user index (eventually consistent: callers read or condition the
 * items themselves), or from a strongly consistent Scan of the table filtered to the namespace.
 * A Scan reads the whole table, whatever the namespace: for `clear()` and admin listings only.
 */
export async function readPage(t: BulkTarget, op: Operation, start: Key | undefined, q: PageQuery) {
  const byUser = q.uid !== undefined;
  const names: Record<string, string> = byUser ? { '#uid': ATTR.userId } : { '#pk': ATTR.key };
  const values: Record<string, AttributeValue> = byUser
    ? { ':uid': { S: q.uid as string } }
    : { ':prefix': { S: t.prefix } };
  const filters = byUser ? [] : ['begins_with(#pk, :prefix)'];
  if (q.liveAt !== undefined) {
    names['#exp'] = ATTR.expiresAt;
    values[':now'] = { N: String(q.liveAt) };
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
    byUser
      ? t.client.send(
          new QueryCommand({
            ...input,
            IndexName: t.userIndexName,
            KeyConditionExpression: '#uid = :uid',
          }),
          o,
        )
      : t.client.send(
          new ScanCommand({
            ...input,
            ConsistentRead: true,
            ProjectionExpression: q.liveAt === undefined ? '#pk' : undefined,
          }),
          o,
        ),
  );
  return { items: out.Items ?? [], next: out.LastEvaluatedKey };
}

/** Read up to 100 items by primary key, strongly consistent. Missing items are absent. */
export async function batchGet(t: BulkTarget, op: Operation, pks: string[]): Promise<Item[]> {
  const items: Item[] = [];
  if (pks.length === 0) return items;
  await untilProcessed(op, keysFor(pks), async (Keys) => {
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
export async function batchDelete(t: BulkTarget, op: Operation, pks: string[]): Promise<void> {
  const batches: Array<Promise<void>> = [];
  for (let i = 0; i < pks.length; i += BATCH_WRITE_MAX) {
    const keys = keysFor(pks.slice(i, i + BATCH_WRITE_MAX));
    const requests: WriteRequest[] = keys.map((Key) => ({ DeleteRequest: { Key } }));
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
async function untilProcessed<T>(
  op: Operation,
  first: T[],
  send: (pending: T[]) => Promise<T[] | undefined>,
): Promise<void> {
  let pending = first;
  for (let delay = 50; ; delay *= 2) {
    const left = await send(pending);
    if (!left?.length) return;
    if (op.remaining() < delay) {
      throw new UnavailableError(SOURCE, `${op.name}: DynamoDB left items unprocessed (throttled)`);
    }
    await sleep(delay, undefined, { signal: op.signal });
    pending = left;
  }
}

function keysFor(pks: string[]): Key[] {
  return pks.map((pk) => ({ [ATTR.key]: { S: pk } }));
}

/** The partition keys of `items`. */
export function keysOf(items: Item[]): string[] {
  return items.flatMap((item) => item[ATTR.key]?.S ?? []);
}
