/** Stores that leak across namespaces (NS-1). */
import { memoryRaw } from '@sessions/conformance';
import type { StoredSession } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

export const namespaceBroken: BrokenStore[] = [
  {
    name: 'ignores its namespace',
    caughtBy: ['namespaces/'],
    build: (ctx) => ctx.healthy({ namespace: 'shared' }),
    raw: (ctx) => memoryRaw(ctx.backend, 'shared'),
  },
  {
    name: 'clear() clears every namespace',
    caughtBy: ['namespaces/clear-own-only'],
    build: (ctx) =>
      override(ctx.healthy(), {
        async clear() {
          for (const entries of ctx.backend.namespaces.values()) entries.clear();
          for (const index of ctx.backend.userIndexes.values()) index.clear();
        },
      }),
  },
  {
    name: 'joins namespace and key with ":" in one keyspace',
    caughtBy: ['namespaces/no-prefix-collision'],
    build: (ctx) => {
      const flat = ctx.healthy({ namespace: 'flat' });
      const prefix = `${ctx.namespace}:`;
      const k = (key: string) => (typeof key === 'string' ? prefix + key : key);
      return override(flat, {
        get: (key) => flat.get(k(key)),
        set: (key, record, options) => flat.set(k(key), record, options),
        touch: (key, expiresAt) => flat.touch(k(key), expiresAt),
        delete: (key) => flat.delete(k(key)),
        async listByUser(userId) {
          const list: Array<StoredSession<unknown>> = await flat.listByUser(userId);
          return list
            .filter(({ key }) => key.startsWith(prefix))
            .map(({ key, record }) => ({ key: key.slice(prefix.length), record }));
        },
        deleteByUser: (userId, options) =>
          flat.deleteByUser(
            userId,
            options?.except === undefined ? options : { except: k(options.except) },
          ),
        async clear() {
          for (const key of [...ctx.backend.entries('flat').keys()]) {
            if (key.startsWith(prefix)) await flat.delete(key);
          }
        },
      });
    },
    raw: (ctx) => {
      const flat = memoryRaw(ctx.backend, 'flat');
      const prefix = `${ctx.namespace}:`;
      return {
        read: (key) => flat.read(prefix + key),
        writePayload: (key, payload, expiresAt) =>
          flat.writePayload(prefix + key, payload, expiresAt),
        dump: () => flat.dump(),
      };
    },
  },
];
