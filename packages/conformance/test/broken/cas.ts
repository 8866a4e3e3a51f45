/** Stores that break versions and compare-and-set (CAS-1 to CAS-3). */
import { setImmediate as tick } from 'node:timers/promises';
import { ConflictError } from '@sessions/core';
import { type BrokenStore, override } from './base.js';

export const casBroken: BrokenStore[] = [
  {
    name: 'compare-and-set is not atomic (check, await, then write)',
    caughtBy: ['cas-race/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          if (options?.ifVersion === undefined) return inner.set(key, record);
          const current = await inner.get(key);
          if ((current?.version ?? 0) !== options.ifVersion) throw new ConflictError('broken');
          await tick();
          return inner.set(key, record);
        },
      });
    },
  },
  {
    name: 'ifVersion is ignored',
    caughtBy: ['cas/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, { set: (key, record) => inner.set(key, record) });
    },
  },
  {
    name: 'ifVersion 0 is taken as "no condition"',
    caughtBy: ['cas/zero-on-live-conflicts', 'cas-race/one-winner-on-create'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        set: (key, record, options) =>
          inner.set(key, record, options?.ifVersion ? options : undefined),
      });
    },
  },
  {
    name: 'an expired record still counts for ifVersion',
    caughtBy: ['cas/zero-on-expired', 'cas/old-version-on-expired-conflicts'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          if (options?.ifVersion === undefined) return inner.set(key, record);
          const stored = ctx.backend.entries(ctx.namespace).get(key)?.version ?? 0;
          if (stored !== options.ifVersion) throw new ConflictError('broken');
          return inner.set(key, record);
        },
      });
    },
  },
  {
    name: 'the version is never bumped',
    caughtBy: ['cas/write-bumps-version'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          const result = await inner.set(key, record, options);
          const entry = ctx.backend.entries(ctx.namespace).get(key);
          if (entry) entry.version = 1;
          return result.version === 0 ? result : { version: 1 };
        },
      });
    },
  },
  {
    name: 'touch is a get and a set (bumps the version)',
    caughtBy: ['cas/touch-keeps-version', 'ttl-touch/keeps-data-and-user'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async touch(key, expiresAt) {
          const current = await inner.get(key);
          if (!current) return false;
          await inner.set(key, { ...current, expiresAt });
          return true;
        },
      });
    },
  },
  {
    name: 'a conflicting write lands before the CONFLICT is thrown',
    caughtBy: ['cas/mismatch-changes-nothing'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          const current = await inner.get(key);
          await inner.set(key, record);
          if (options?.ifVersion !== undefined && (current?.version ?? 0) !== options.ifVersion) {
            throw new ConflictError('broken');
          }
          return { version: (current?.version ?? 0) + 1 };
        },
      });
    },
  },
  {
    name: 'concurrent writes can get the same version',
    caughtBy: ['cas-race/concurrent-writes-distinct-versions'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          if (options?.ifVersion !== undefined) return inner.set(key, record, options);
          const version = ((await inner.get(key))?.version ?? 0) + 1;
          await tick();
          await inner.set(key, record);
          const entry = ctx.backend.entries(ctx.namespace).get(key);
          if (entry) entry.version = version;
          return { version };
        },
      });
    },
  },
];
