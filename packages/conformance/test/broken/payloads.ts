/** Stores that break the data rules (DATA-1 to DATA-4). */
import {
  type Codec,
  isSessionError,
  jsonCodec,
  type SessionRecord,
  TooLargeError,
} from '@sessions/core';
import { type BrokenStore, override } from './base.js';

/** Plain JSON: silently drops functions, turns NaN into null, throws a raw TypeError on BigInt. */
const lenientJson: Codec = {
  name: 'lenient-json',
  encode: (d) => JSON.stringify(d),
  decode: (t) => JSON.parse(t),
};

export const payloadBroken: BrokenStore[] = [
  {
    name: 'TOO_LARGE is not enforced (the declared limit is not the real one)',
    caughtBy: ['payload-limits/over-limit-'],
    build: (ctx) => {
      const inner = ctx.healthy({ maxPayloadBytes: 16 * 1024 * 1024 });
      return Object.assign(override(inner, {}), { maxPayloadBytes: 1024 * 1024 });
    },
  },
  {
    name: 'the limit counts characters, not UTF-8 bytes',
    caughtBy: ['payload-limits/counts-utf8-bytes'],
    build: (ctx) => {
      const limit = 64 * 1024;
      const inner = ctx.healthy({ maxPayloadBytes: 16 * limit });
      const store = override(inner, {
        async set(key, record, options) {
          const text = jsonCodec.encode(record.data);
          if (text.length > limit) throw new TooLargeError('broken', text.length, limit);
          return inner.set(key, record, options);
        },
      });
      return Object.assign(store, { maxPayloadBytes: limit });
    },
  },
  {
    name: 'SERIALIZE is swallowed (reports a write that did not happen)',
    caughtBy: ['payload-codec/json-refuses-', 'payload-codec/rich-codec-refuses-function'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          try {
            return await inner.set(key, record, options);
          } catch (err) {
            if (isSessionError(err, 'SERIALIZE')) return { version: 1 };
            throw err;
          }
        },
      });
    },
  },
  {
    name: 'ignores the codec it is given and uses lenient JSON',
    caughtBy: ['payload-codec/'],
    build: (ctx) => ctx.healthy({ codec: lenientJson }),
  },
  {
    name: 'data is kept and returned by reference',
    caughtBy: [
      'payloads/get-returns-copy',
      'payloads/set-copies-input',
      'payloads/list-returns-copy',
    ],
    build: (ctx) => {
      const inner = ctx.healthy();
      const kept = new Map<string, unknown>();
      const withKept = (key: string, record: SessionRecord<unknown>) =>
        kept.has(key) ? Object.assign(record, { data: kept.get(key) }) : record;
      return override(inner, {
        async set(key, record, options) {
          const result = await inner.set(key, record, options);
          kept.set(key, record.data);
          return result;
        },
        get: async (key) => {
          const record = await inner.get(key);
          return record && withKept(key, record);
        },
        listByUser: async (userId) =>
          (await inner.listByUser(userId)).map(({ key, record }) => ({
            key,
            record: withKept(key, record),
          })),
      });
    },
  },
  {
    name: "set writes the version into the caller's record",
    caughtBy: ['payloads/set-leaves-input-alone'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          const result = await inner.set(key, record, options);
          record.version = result.version;
          return result;
        },
      });
    },
  },
  {
    name: 'falsy data is taken as a missing session',
    caughtBy: ['payloads/top-level-scalars'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        get: async (key) => {
          const record = await inner.get(key);
          return record?.data ? record : undefined;
        },
      });
    },
  },
];
