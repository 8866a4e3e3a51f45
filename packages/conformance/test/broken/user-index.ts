/** Stores whose user index breaks the USER rules. */
import type { SessionRecord, StoredSession } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

export const userIndexBroken: BrokenStore[] = [
  {
    name: 'listByUser returns expired sessions',
    caughtBy: ['ttl-visibility/list-', 'user-index'],
    build: (ctx) => {
      // A second store on the same namespace that judges expiry by the real time.
      const lister = ctx.healthy({ clock: Date.now });
      return override(ctx.healthy(), {
        listByUser: (userId) => lister.listByUser(userId),
        close: async () => {
          await lister.close();
        },
      });
    },
  },
  {
    name: 'deleteByUser counts expired sessions',
    caughtBy: ['ttl-visibility/delete-by-user-counts-live'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async deleteByUser(userId, options) {
          const present = ctx.backend.userIndex(ctx.namespace).get(userId)?.size ?? 0;
          const removed = await inner.deleteByUser(userId, options);
          return options?.except === undefined ? present : removed;
        },
      });
    },
  },
  {
    name: 'deleteByUser ignores except',
    caughtBy: ['user-index/delete-by-user-except'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, { deleteByUser: (userId) => inner.deleteByUser(userId) });
    },
  },
  {
    name: "a re-owned session stays in the old owner's index",
    caughtBy: ['user-index-ownership/reassigned', 'user-index-ownership/owner-dropped'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          const previous = ctx.backend.entries(ctx.namespace).get(key)?.userId;
          const result = await inner.set(key, record, options);
          if (previous !== undefined && previous !== record.userId) {
            const index = ctx.backend.userIndex(ctx.namespace);
            index.set(previous, (index.get(previous) ?? new Set()).add(key));
          }
          return result;
        },
      });
    },
  },
  {
    name: 'the user index is never cleaned and listByUser trusts it',
    caughtBy: ['user-index-ownership/delete-unlists', 'user-index/delete-by-user'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const index = new Map<string, Map<string, SessionRecord<unknown>>>();
      return override(inner, {
        async set(key, record, options) {
          const result = await inner.set(key, record, options);
          if (record.userId !== undefined) {
            const mine = index.get(record.userId) ?? new Map();
            index.set(record.userId, mine.set(key, { ...record, version: result.version }));
          }
          return result;
        },
        async listByUser(userId) {
          const out: Array<StoredSession<unknown>> = [];
          for (const [key, record] of index.get(userId) ?? []) out.push({ key, record });
          return out;
        },
      });
    },
  },
  {
    name: 'list() returns expired sessions',
    caughtBy: ['list/expiry-boundary'],
    build: (ctx) => {
      const lister = ctx.healthy({ clock: Date.now });
      return override(ctx.healthy(), {
        list: () => lister.list(),
        close: async () => {
          await lister.close();
        },
      });
    },
  },
  {
    name: 'list() lists every namespace',
    caughtBy: ['list/own-namespace-only'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async list() {
          const all: Array<StoredSession<unknown>> = [];
          for (const namespace of ctx.backend.namespaces.keys()) {
            const other = ctx.healthy({ namespace });
            all.push(...(await other.list()));
            await other.close();
          }
          return all;
        },
      });
    },
  },
  {
    name: 'has no list() though it does not declare list: false',
    caughtBy: ['list/declared'],
    build: (ctx) => override(ctx.healthy(), { list: undefined }),
  },
  {
    name: 'listByUser returns records without userId and version',
    caughtBy: ['user-index/list-exactly-own'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async listByUser(userId) {
          const list = await inner.listByUser(userId);
          return list.map(({ key, record }) => ({
            key,
            record: { data: record.data, expiresAt: record.expiresAt },
          }));
        },
      });
    },
  },
];
