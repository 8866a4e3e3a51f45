/** Stores that mishandle stored bytes (CORRUPT-1, CORRUPT-2). */
import { type Codec, isSessionError } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

/** Copies parsed keys by assignment: a "__proto__" key then sets the object's prototype. */
const naiveCopyCodec: Codec = {
  name: 'naive-copy',
  encode: (data) => JSON.stringify(data),
  decode(text) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(parsed)) out[key] = (parsed as Record<string, unknown>)[key];
    return out;
  },
};

/** Drops "__proto__" keys only when the text spells them out: an escaped key gets through. */
const textSearchCodec: Codec = {
  name: 'text-search',
  encode: (data) => JSON.stringify(data),
  decode(text) {
    const parsed: unknown = JSON.parse(text);
    if (!text.includes('__proto__')) return parsed;
    return JSON.parse(text, (key, value) => (key === '__proto__' ? undefined : value));
  },
};

export const corruptBroken: BrokenStore[] = [
  {
    name: 'CORRUPT is thrown as the raw SyntaxError',
    caughtBy: ['corrupt/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async get(key) {
          try {
            return await inner.get(key);
          } catch (err) {
            throw isSessionError(err, 'CORRUPT') ? err.cause : err;
          }
        },
      });
    },
  },
  {
    name: 'a corrupt record reads as a missing session',
    caughtBy: ['corrupt/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        get: (key) =>
          inner.get(key).catch((err: unknown) => {
            if (isSessionError(err, 'CORRUPT')) return undefined;
            throw err;
          }),
      });
    },
  },
  {
    name: 'the decoder copies keys by assignment (prototype set from the payload)',
    caughtBy: ['corrupt/proto-key-dropped'],
    build: (ctx) => ctx.healthy({ codec: naiveCopyCodec }),
  },
  {
    name: 'the decoder drops __proto__ keys found by text search (an escaped key gets through)',
    caughtBy: ['corrupt/escaped-proto-key-dropped'],
    build: (ctx) => ctx.healthy({ codec: textSearchCodec }),
  },
  {
    name: 'delete decodes the record first (a corrupt record cannot be deleted)',
    caughtBy: ['corrupt/deletable'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async delete(key) {
          await inner.get(key);
          return inner.delete(key);
        },
      });
    },
  },
];
