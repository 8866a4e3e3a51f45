/**
 * Every conditional write, in one place: these expressions are where DynamoDB enforces the
 * contract. "Live" is always `exp > :now`, with `:now` the application clock's (never the
 * server's), so a record's visibility and the conditions on it agree to the millisecond.
 */
import type {
  DeleteItemCommandInput,
  PutItemCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@sessions/core';
import { CONFLICT, type RecordWrite } from '@sessions/core/kit';
import { ATTR, keyOf } from './item.js';
import { SOURCE } from './options.js';

type Condition = Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** Every attribute goes through a placeholder: `ttl` is a DynamoDB reserved word, among others. */
const PLACEHOLDERS = {
  '#pk': ATTR.key,
  '#d': ATTR.data,
  '#exp': ATTR.expiresAt,
  '#ttl': ATTR.ttl,
  '#uid': ATTR.userId,
  '#v': ATTR.version,
};

/** The names an expression uses (DynamoDB refuses a request that declares an unused one). */
function names(...used: Array<keyof typeof PLACEHOLDERS>): Record<string, string> {
  return Object.fromEntries(used.map((placeholder) => [placeholder, PLACEHOLDERS[placeholder]]));
}

const num = (value: number) => ({ N: String(value) });

/** Compare-and-set: `ifVersion` 0 is "absent or expired", any other "this version, and live". */
export function casCondition(ifVersion: number, now: number): Condition {
  return ifVersion === 0
    ? {
        ConditionExpression: 'attribute_not_exists(#pk) OR #exp <= :now',
        ExpressionAttributeNames: names('#pk', '#exp'),
        ExpressionAttributeValues: { ':now': num(now) },
      }
    : {
        ConditionExpression: '#v = :v AND #exp > :now',
        ExpressionAttributeNames: names('#v', '#exp'),
        ExpressionAttributeValues: { ':v': num(ifVersion), ':now': num(now) },
      };
}

/**
 * An unconditional write over a new or live record: version + 1 in one UpdateItem, so
 * concurrent writers each get their own version. Its condition fails over an expired item TTL
 * has not removed yet (an update cannot branch on expiry): a PutItem under `casCondition(0)`
 * then replaces that item at version 1.
 */
export function versionedUpdate(
  table: string,
  pk: string,
  uid: string | undefined,
  write: RecordWrite,
  now: number,
  ttl: string,
): UpdateItemCommandInput {
  return {
    TableName: table,
    Key: keyOf(pk),
    UpdateExpression:
      'SET #d = :d, #exp = :exp, #ttl = :ttl, #v = if_not_exists(#v, :zero) + :one' +
      (uid === undefined ? ' REMOVE #uid' : ', #uid = :uid'),
    ConditionExpression: 'attribute_not_exists(#pk) OR #exp > :now',
    ExpressionAttributeNames: names('#pk', '#d', '#exp', '#ttl', '#uid', '#v'),
    ExpressionAttributeValues: {
      ':d': { S: write.data },
      ':exp': num(write.expiresAt),
      ':ttl': { N: ttl },
      ':zero': num(0),
      ':one': num(1),
      ':now': num(now),
      ...(uid === undefined ? {} : { ':uid': { S: uid } }),
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** Move a live record's expiry; `attribute_exists`: an update would otherwise create the item. */
export function touchUpdate(
  table: string,
  pk: string,
  expiresAt: number,
  now: number,
  ttl: string,
): UpdateItemCommandInput {
  return {
    TableName: table,
    Key: keyOf(pk),
    UpdateExpression: 'SET #exp = :exp, #ttl = :ttl',
    ConditionExpression: 'attribute_exists(#pk) AND #exp > :now',
    ExpressionAttributeNames: names('#pk', '#exp', '#ttl'),
    ExpressionAttributeValues: {
      ':exp': num(expiresAt),
      ':ttl': { N: ttl },
      ':now': num(now),
    },
  };
}

/**
 * A delete that returns the old item (whether it was live is decided by `now`): with
 * `ifVersion`, a compare-and-set (a `set` into the past); with `owner`, only if the item still
 * belongs to it (`deleteByUser`: the user index may be stale).
 */
export function deleteItem(
  table: string,
  pk: string,
  when: { ifVersion?: number; owner?: string; now: number },
): DeleteItemCommandInput {
  const input = { TableName: table, Key: keyOf(pk), ReturnValues: 'ALL_OLD' } as const;
  if (when.ifVersion !== undefined) return { ...input, ...casCondition(when.ifVersion, when.now) };
  if (when.owner === undefined) return input;
  return {
    ...input,
    ConditionExpression: '#uid = :uid',
    ExpressionAttributeNames: names('#uid'),
    ExpressionAttributeValues: { ':uid': { S: when.owner } },
  };
}

/** The exception name of an AWS SDK error (`ResourceNotFoundException`...), if any. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** A rejection handler: `value` for the AWS exception `name` (an expected answer), else rethrow. */
export function onAwsError<T>(name: string, value: T): (error: unknown) => T {
  return (error) => {
    if (errorName(error) === name) return value;
    throw error;
  };
}

/**
 * Resolve to `value` when DynamoDB refused a write because its condition failed. A compare-and-set
 * refused on the SDK's retry proves nothing: the first attempt may have written (its reply was
 * lost), so that is `UNAVAILABLE` (outcome unknown), never a CONFLICT blaming another writer.
 */
export function whenConditionFails<T>(value: T): (error: unknown) => T {
  const answer = onAwsError('ConditionalCheckFailedException', value);
  return (error) => {
    const { attempts = 1 } =
      (error as { $metadata?: { attempts?: number } } | null)?.$metadata ?? {};
    const unknown = 'a retried compare-and-set failed: its outcome is unknown';
    if (
      value === CONFLICT &&
      attempts > 1 &&
      errorName(error) === 'ConditionalCheckFailedException'
    )
      throw new UnavailableError(SOURCE, unknown, { cause: error });
    return answer(error);
  };
}
