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
import type { RecordWrite } from '@sessions/core/kit';
import { ATTR, ttlSeconds } from './item.js';
import { errorName } from './table.js';

type Condition = Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

const num = (value: number) => ({ N: String(value) });
const keyOf = (pk: string) => ({ [ATTR.key]: { S: pk } });

/** Compare-and-set: `ifVersion` 0 is "absent or expired", any other "this version, and live". */
export function casCondition(ifVersion: number, now: number): Condition {
  return ifVersion === 0
    ? {
        ConditionExpression: 'attribute_not_exists(#pk) OR #exp <= :now',
        ExpressionAttributeNames: { '#pk': ATTR.key, '#exp': ATTR.expiresAt },
        ExpressionAttributeValues: { ':now': num(now) },
      }
    : {
        ConditionExpression: '#v = :v AND #exp > :now',
        ExpressionAttributeNames: { '#v': ATTR.version, '#exp': ATTR.expiresAt },
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
): UpdateItemCommandInput {
  return {
    TableName: table,
    Key: keyOf(pk),
    UpdateExpression:
      'SET #d = :d, #exp = :exp, #ttl = :ttl, #v = if_not_exists(#v, :zero) + :one' +
      (uid === undefined ? ' REMOVE #uid' : ', #uid = :uid'),
    ConditionExpression: 'attribute_not_exists(#pk) OR #exp > :now',
    // Every attribute through a placeholder: `ttl` is a DynamoDB reserved word, among others.
    ExpressionAttributeNames: {
      '#pk': ATTR.key,
      '#d': ATTR.data,
      '#exp': ATTR.expiresAt,
      '#ttl': ATTR.ttl,
      '#uid': ATTR.userId,
      '#v': ATTR.version,
    },
    ExpressionAttributeValues: {
      ':d': { S: write.data },
      ':exp': num(write.expiresAt),
      ':ttl': { N: ttlSeconds(write.expiresAt) },
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
): UpdateItemCommandInput {
  return {
    TableName: table,
    Key: keyOf(pk),
    UpdateExpression: 'SET #exp = :exp, #ttl = :ttl',
    ConditionExpression: 'attribute_exists(#pk) AND #exp > :now',
    ExpressionAttributeNames: { '#pk': ATTR.key, '#exp': ATTR.expiresAt, '#ttl': ATTR.ttl },
    ExpressionAttributeValues: {
      ':exp': num(expiresAt),
      ':ttl': { N: ttlSeconds(expiresAt) },
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
  const input: DeleteItemCommandInput = {
    TableName: table,
    Key: keyOf(pk),
    ReturnValues: 'ALL_OLD',
  };
  if (when.ifVersion !== undefined) return { ...input, ...casCondition(when.ifVersion, when.now) };
  if (when.owner === undefined) return input;
  return {
    ...input,
    ConditionExpression: '#uid = :uid',
    ExpressionAttributeNames: { '#uid': ATTR.userId },
    ExpressionAttributeValues: { ':uid': { S: when.owner } },
  };
}

/** Resolve to `value` when DynamoDB refused a write because its condition failed. */
export function whenConditionFails<T>(value: T): (err: unknown) => T {
  return (err) => {
    if (errorName(err) === 'ConditionalCheckFailedException') return value;
    throw err;
  };
}
