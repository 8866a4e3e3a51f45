/** Stores that let bad input through (INPUT-1 to INPUT-3). */
import { createHash } from 'node:crypto';
import {
  InvalidKeyError,
  isSessionError,
  type SessionRecord,
  type SessionStore,
} from '@sessions/core';
import { type BrokenStore, override } from './base.js';

/** Run `action`; if it fails with `code`, resolve to `fallback` instead. */
async function swallow<T>(
  code: 'INVALID_KEY' | 'INVALID_RECORD',
  action: () => Promise<T>,
  fallback: T,
): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (isSessionError(err, code)) return fallback;
    throw err;
  }
}

export const inputBroken: BrokenStore[] = [
  {
    name: 'INVALID_KEY is swallowed (a bad key reads as missing)',
    caughtBy: ['bad-keys/key-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        get: (key) => swallow('INVALID_KEY', () => inner.get(key), undefined),
        set: (key, record, options) =>
          swallow('INVALID_KEY', () => inner.set(key, record, options), { version: 0 }),
        touch: (key, expiresAt) => swallow('INVALID_KEY', () => inner.touch(key, expiresAt), false),
        delete: (key) => swallow('INVALID_KEY', () => inner.delete(key), false),
      });
    },
  },
  {
    // The bug a backend that packs fields into one `:`-separated string would have.
    name: "a userId is cut at its first ':' when stored",
    caughtBy: ['bad-user-ids/user-id-any-printable-characters'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const cut = (record: SessionRecord<unknown>): SessionRecord<unknown> =>
        record.userId === undefined ? record : { ...record, userId: record.userId.split(':')[0] };
      return override(inner, {
        set: (key, record, options) => inner.set(key, cut(record), options),
      });
    },
  },
  {
    name: 'any key is hashed into a valid one instead of being rejected',
    caughtBy: ['bad-keys/key-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const safe = (key: unknown) => createHash('sha256').update(String(key)).digest('hex');
      return override(inner, {
        get: (key) => inner.get(safe(key)),
        set: (key, record, options) => inner.set(safe(key), record, options),
        touch: (key, expiresAt) => inner.touch(safe(key), expiresAt),
        delete: (key) => inner.delete(safe(key)),
      });
    },
    raw: (ctx) => {
      const safe = (key: unknown) => createHash('sha256').update(String(key)).digest('hex');
      const entries = () => ctx.backend.entries(ctx.namespace);
      return {
        read: async (key) => entries().get(safe(key)),
        writePayload: async (key, payload, expiresAt) => {
          entries().set(safe(key), { data: payload, expiresAt, userId: undefined, version: 1 });
        },
        dump: async () => JSON.stringify([...entries()]),
      };
    },
  },
  {
    name: 'a bad except is ignored (everything is deleted)',
    caughtBy: ['bad-keys/key-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        deleteByUser: (userId, options) =>
          swallow('INVALID_KEY', () => inner.deleteByUser(userId, options), 0).then(async (n) =>
            n === 0 ? inner.deleteByUser(userId) : n,
          ),
      });
    },
  },
  {
    name: 'a bad userId is dropped or answered with nothing',
    caughtBy: ['bad-user-ids/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        set: (key, record, options) =>
          swallow('INVALID_KEY', () => inner.set(key, record, options), undefined).then(
            (result) =>
              result ?? inner.set(key, { data: record.data, expiresAt: record.expiresAt }, options),
          ),
        listByUser: (userId) => swallow('INVALID_KEY', () => inner.listByUser(userId), []),
        deleteByUser: (userId, options) =>
          swallow('INVALID_KEY', () => inner.deleteByUser(userId, options), 0),
      });
    },
  },
  {
    name: 'expiresAt is coerced with Number() and Math.floor()',
    caughtBy: ['bad-records/expires-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const fix = (value: unknown) => Math.floor(Number(value ?? ctx.clock() + 60_000));
      return override(inner, {
        set: (key, record, options) => {
          const r = (record ?? {}) as SessionRecord<unknown>;
          return inner.set(key, { ...r, data: r.data ?? {}, expiresAt: fix(r.expiresAt) }, options);
        },
      });
    },
  },
  {
    name: 'ifVersion is coerced with Number()',
    caughtBy: ['bad-records/if-version-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        set: (key, record, options) =>
          inner.set(
            key,
            record,
            options?.ifVersion === undefined
              ? options
              : { ifVersion: Math.abs(Math.round(Number(options.ifVersion))) },
          ),
      });
    },
  },
  {
    name: 'validation throws synchronously instead of rejecting',
    caughtBy: ['bad-keys/key-'],
    build: (ctx) => {
      const inner: SessionStore<unknown> = ctx.healthy();
      return override(inner, {
        get(key) {
          // The key rule, checked before returning a promise: a throw, not a rejection.
          if (!/^[A-Za-z0-9_.:-]{1,256}$/.test(String(key))) {
            throw new InvalidKeyError('broken', 'a key may only hold A-Z a-z 0-9 _ - . :');
          }
          return inner.get(key);
        },
      });
    },
  },
];
