/** Stores that break close(), clear() or the plain operations (LIFE-1, LIFE-2, CRUD). */
import { ClosedError } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

export const lifecycleBroken: BrokenStore[] = [
  {
    name: 'close() does not close',
    caughtBy: ['lifecycle/closed-'],
    build: (ctx) => override(ctx.healthy(), { close: async () => undefined }),
  },
  {
    name: 'close() twice throws',
    caughtBy: ['lifecycle/close-twice'],
    build: (ctx) => {
      const inner = ctx.healthy();
      let closed = false;
      return override(inner, {
        async close() {
          if (closed) throw new ClosedError('broken');
          closed = true;
          await inner.close();
        },
      });
    },
  },
  {
    name: 'listByUser forgets the closed check',
    caughtBy: ['lifecycle/closed-listbyuser'],
    build: (ctx) => {
      const lister = ctx.healthy();
      const inner = ctx.healthy();
      return override(inner, {
        listByUser: (userId) => lister.listByUser(userId),
        close: async () => {
          await inner.close();
        },
      });
    },
  },
  {
    name: 'set writes before it checks for close()',
    caughtBy: ['lifecycle/closed-writes-nothing'],
    build: (ctx) => {
      const writer = ctx.healthy();
      const inner = ctx.healthy();
      let closed = false;
      return override(inner, {
        async set(key, record, options) {
          const result = await writer.set(key, record, options);
          if (closed) throw new ClosedError('broken');
          return result;
        },
        async close() {
          closed = true;
          await inner.close();
        },
      });
    },
  },
  {
    name: 'clear() does nothing',
    caughtBy: ['lifecycle/clear-empties', 'lifecycle/usable-after-clear'],
    build: (ctx) => override(ctx.healthy(), { clear: async () => undefined }),
  },
  {
    name: 'delete always resolves true',
    caughtBy: ['basic-crud/delete-'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, { delete: async (key) => (await inner.delete(key)) || true });
    },
  },
  {
    name: 'get drops the userId',
    caughtBy: ['basic-crud/set-then-get'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        get: async (key) => {
          const record = await inner.get(key);
          return (
            record && { data: record.data, expiresAt: record.expiresAt, version: record.version }
          );
        },
      });
    },
  },
];
