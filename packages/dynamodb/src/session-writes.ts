/**
 * The single-item writes and their condition expressions: compare-and-set, the versioned
 * unconditional set, touch (never creates), and the owner-checked delete of deleteByUser.
 * "Live" is always `exp > :now` with `:now` from the application clock, never the server's.
 */
import {
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, type SetResult, UnavailableError } from '@sessions/core';
import { ATTR, type Item, sessionItem, ttlSeconds } from './item.js';
import { SOURCE } from './options.js';
import type { RequestRunner } from './runner.js';
import { errorName } from './table.js';

/** Every attribute through a placeholder: `ttl` is a DynamoDB reserved word, among others. */
const NAMES = {
  '#pk': ATTR.key,
  '#d': ATTR.data,
  '#exp': ATTR.expiresAt,
  '#ttl': ATTR.ttl,
  '#uid': ATTR.userId,
  '#v': ATTR.version,
} as const;

const LIVE = '#exp > :now';
const ABSENT_OR_EXPIRED = 'attribute_not_exists(#pk) OR #exp <= :now';

/** Resolve to `value` when DynamoDB refused the write because its condition failed. */
function whenConditionFails<T>(value: T): (err: unknown) => T {
  return (err) => {
    if (errorName(err) === 'ConditionalCheckFailedException') return value;
    throw err;
  };
}

/** The condition part of a request. */
type Condition = Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** The condition of a compare-and-set, and the names and values it uses. */
function casCondition(ifVersion: number, now: number): Condition {
  return ifVersion === 0
    ? {
        ConditionExpression: ABSENT_OR_EXPIRED,
        ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#exp': NAMES['#exp'] },
        ExpressionAttributeValues: { ':now': { N: String(now) } },
      }
    : {
        ConditionExpression: `#v = :v AND ${LIVE}`,
        ExpressionAttributeNames: { '#v': NAMES['#v'], '#exp': NAMES['#exp'] },
        ExpressionAttributeValues: { ':v': { N: String(ifVersion) }, ':now': { N: String(now) } },
      };
}

/** Single-item writes against one table. */
export class SessionWrites {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly runner: RequestRunner,
  ) {}

  /** `set` after validation and encoding; `pk` and `uid` are already namespaced. */
  async set(
    pk: string,
    encoded: string,
    expiresAt: number,
    uid: string | undefined,
    ifVersion: number | undefined,
    now: number,
  ): Promise<SetResult> {
    if (expiresAt <= now) {
      // Setting an expired record deletes (after the compare-and-set check, if any).
      const condition = ifVersion === undefined ? {} : casCondition(ifVersion, now);
      const deleted = await this.#delete('set', {
        TableName: this.tableName,
        Key: { [ATTR.key]: { S: pk } },
        ...condition,
      });
      if (!deleted) throw new ConflictError(SOURCE);
      return { version: 0 };
    }
    if (ifVersion !== undefined) {
      const version = ifVersion + 1;
      const written = await this.runner.op('set', (abortSignal) =>
        this.client
          .send(
            new PutItemCommand({
              TableName: this.tableName,
              Item: sessionItem(pk, encoded, expiresAt, uid, version),
              ...casCondition(ifVersion, now),
            }),
            { abortSignal },
          )
          .then(() => true, whenConditionFails(false)),
      );
      if (!written) throw new ConflictError(SOURCE);
      return { version };
    }
    return { version: await this.#setUnconditional(pk, encoded, expiresAt, uid, now) };
  }

  /**
   * One UpdateItem in the common case (new or live record: version + 1). DynamoDB cannot
   * branch on expiry inside one update, so an expired item not yet removed by TTL fails the
   * condition and is replaced by a second request at version 1. Both run under one deadline.
   */
  #setUnconditional(
    pk: string,
    encoded: string,
    expiresAt: number,
    uid: string | undefined,
    now: number,
  ) {
    const key = { [ATTR.key]: { S: pk } };
    const values = {
      ':d': { S: encoded },
      ':exp': { N: String(expiresAt) },
      ':ttl': { N: ttlSeconds(expiresAt) },
      ':zero': { N: '0' },
      ':one': { N: '1' },
      ':now': { N: String(now) },
      ...(uid === undefined ? {} : { ':uid': { S: uid } }),
    };
    // Commands are built per send: an SDK command instance is not meant to be sent twice.
    const update = () =>
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression:
          'SET #d = :d, #exp = :exp, #ttl = :ttl, #v = if_not_exists(#v, :zero) + :one' +
          (uid === undefined ? ' REMOVE #uid' : ', #uid = :uid'),
        ConditionExpression: `attribute_not_exists(#pk) OR ${LIVE}`,
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      });
    const replaceExpired = () =>
      new PutItemCommand({
        TableName: this.tableName,
        Item: sessionItem(pk, encoded, expiresAt, uid, 1),
        ...casCondition(0, now),
      });
    return this.runner.op('set', async (abortSignal) => {
      // Bounded: each round loses only to a concurrent writer flipping the record's liveness.
      for (let round = 0; round < 3; round++) {
        const updated = await this.client
          .send(update(), { abortSignal })
          .then((out) => Number(out.Attributes?.[ATTR.version]?.N), whenConditionFails(undefined));
        if (updated !== undefined) return updated;
        const replaced = await this.client
          .send(replaceExpired(), { abortSignal })
          .then(() => 1, whenConditionFails(undefined));
        if (replaced !== undefined) return replaced;
      }
      throw new UnavailableError(SOURCE, 'set kept racing concurrent writers; nothing was written');
    });
  }

  /** Move the expiry of a live record; never creates. An expiry in the past deletes it. */
  async touch(pk: string, expiresAt: number, now: number): Promise<boolean> {
    const key = { [ATTR.key]: { S: pk } };
    if (expiresAt <= now) {
      return this.#delete('touch', {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: LIVE,
        ExpressionAttributeNames: { '#exp': NAMES['#exp'] },
        ExpressionAttributeValues: { ':now': { N: String(now) } },
      });
    }
    return this.runner.op('touch', (abortSignal) =>
      this.client
        .send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #exp = :exp, #ttl = :ttl',
            // attribute_exists: an update on a missing key would otherwise create the item.
            ConditionExpression: `attribute_exists(#pk) AND ${LIVE}`,
            ExpressionAttributeNames: {
              '#pk': NAMES['#pk'],
              '#exp': NAMES['#exp'],
              '#ttl': NAMES['#ttl'],
            },
            ExpressionAttributeValues: {
              ':exp': { N: String(expiresAt) },
              ':ttl': { N: ttlSeconds(expiresAt) },
              ':now': { N: String(now) },
            },
          }),
          { abortSignal },
        )
        .then(() => true, whenConditionFails(false)),
    );
  }

  /**
   * Delete `pk` if it still belongs to `uid` (the index may be stale: a session that changed
   * owner is left alone). Resolves to the deleted item, or undefined.
   */
  deleteOwned(pk: string, uid: string): Promise<Item | undefined> {
    return this.runner.op('deleteByUser', (abortSignal) =>
      this.client
        .send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: { [ATTR.key]: { S: pk } },
            ConditionExpression: '#uid = :uid',
            ExpressionAttributeNames: { '#uid': NAMES['#uid'] },
            ExpressionAttributeValues: { ':uid': { S: uid } },
            ReturnValues: 'ALL_OLD',
          }),
          { abortSignal },
        )
        .then((out) => out.Attributes, whenConditionFails(undefined)),
    );
  }

  /** A DeleteItem; false when its condition failed. */
  #delete(operation: string, input: DeleteItemCommandInput): Promise<boolean> {
    return this.runner.op(operation, (abortSignal) =>
      this.client
        .send(new DeleteItemCommand(input), { abortSignal })
        .then(() => true, whenConditionFails(false)),
    );
  }
}
