/** Stores that break the TTL rules (TTL-1 to TTL-5). */
import { jsonCodec } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

export const ttlBroken: BrokenStore[] = [
  {
    name: 'ignores the injected clock (uses Date.now)',
    caughtBy: ['ttl-visibility/'],
    build: (ctx) => ctx.healthy({ clock: Date.now }),
  },
  {
    name: 'boundary off by one (live while now <= expiresAt)',
    caughtBy: ['ttl-visibility/get-expired-at-boundary', 'ttl-visibility/touch-at-boundary'],
    build: (ctx) => ctx.healthy({ clock: () => ctx.clock() - 1 }),
  },
  {
    name: 'set in the past stores the record anyway',
    caughtBy: ['ttl-set-expired/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          if (record.expiresAt > ctx.clock()) return inner.set(key, record, options);
          const encoded = jsonCodec.encode(record.data);
          ctx.backend.entries(ctx.namespace).set(key, {
            data: encoded,
            expiresAt: record.expiresAt,
            userId: record.userId,
            version: 1,
          });
          return { version: 1 };
        },
      });
    },
  },
  {
    name: 'set in the past keeps the existing record',
    caughtBy: ['ttl-set-expired/past-deletes-existing', 'ttl-set-expired/at-now-deletes'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        set: async (key, record, options) =>
          record.expiresAt <= ctx.clock() ? { version: 0 } : inner.set(key, record, options),
      });
    },
  },
  {
    name: 'set in the past ignores ifVersion on a missing key',
    caughtBy: ['ttl-set-expired/past-with-version-on-missing'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        set: async (key, record, options) =>
          record.expiresAt <= ctx.clock() && !ctx.backend.entries(ctx.namespace).has(key)
            ? { version: 0 }
            : inner.set(key, record, options),
      });
    },
  },
  {
    name: 'touch resurrects an expired record',
    caughtBy: ['ttl-touch/expired-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async touch(key, expiresAt) {
          const entries = ctx.backend.entries(ctx.namespace);
          const before = entries.get(key);
          if (await inner.touch(key, expiresAt)) return true;
          if (!before) return false;
          entries.set(key, { ...before, expiresAt });
          return true;
        },
      });
    },
  },
  {
    name: 'touch creates a missing record',
    caughtBy: ['ttl-touch/missing-creates-nothing'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async touch(key, expiresAt) {
          if (await inner.touch(key, expiresAt)) return true;
          await inner.set(key, { data: {}, expiresAt });
          return true;
        },
      });
    },
  },
  {
    name: 'touch only ever extends',
    caughtBy: ['ttl-touch/shortens'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async touch(key, expiresAt) {
          const current = await inner.get(key);
          return inner.touch(key, Math.max(expiresAt, current?.expiresAt ?? 0));
        },
      });
    },
  },
  {
    name: 'touch into the past is ignored',
    caughtBy: ['ttl-touch/to-now-deletes'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        touch: async (key, expiresAt) =>
          expiresAt <= ctx.clock() ? false : inner.touch(key, expiresAt),
      });
    },
  },
  {
    name: 'delete reports an expired record as removed',
    caughtBy: ['ttl-visibility/delete-expired'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async delete(key) {
          const present = ctx.backend.entries(ctx.namespace).has(key);
          await inner.delete(key);
          return present;
        },
      });
    },
  },
  {
    name: 'prune removes nothing',
    caughtBy: ['physical-removal/prune-', 'ttl-touch/expired-not-extended-for-prune'],
    build: (ctx) => override(ctx.healthy(), { prune: async () => 0 }),
  },
  {
    name: 'prune removes live records too',
    caughtBy: ['physical-removal/prune-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async prune() {
          const entries = ctx.backend.entries(ctx.namespace);
          const count = entries.size;
          entries.clear();
          return count;
        },
      });
    },
  },
  {
    name: "has no prune() though nativeExpiry is 'none'",
    caughtBy: ['physical-removal/prune-declared'],
    // An own `prune: undefined` hides the inherited method.
    build: (ctx) => override(ctx.healthy(), { prune: undefined }),
  },
];
