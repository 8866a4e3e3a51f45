/**
 * Stores with the subtler bugs the suite once let through: stale user-index entries, versions
 * kept across a delete, a read-modify-write touch, a lock per store instance, clamped lifetimes,
 * an off-by-one size limit, loose input, a prune that crosses namespaces, a list() that hands
 * out what it holds. Each is caught by the check written for it.
 */
import { setImmediate as tick } from 'node:timers/promises';
import {
  ConflictError,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
  TooLargeError,
} from '@sessions/core';
import { type BrokenStore, type BuildContext, override } from './base.js';

type Removal = 'delete' | 'clear' | 'set-in-past' | 'prune' | 'conflict';

/**
 * A store with a user index of its own, trusted by `listByUser` and `deleteByUser` (no owner
 * check), that `forgets` to clean on one kind of removal.
 */
function sideIndexStore(ctx: BuildContext, forgets: Removal): SessionStore<unknown> {
  const inner = ctx.healthy();
  // Shared by the stores of one namespace, as a real index would be.
  const index = sideIndexes.get(ctx.namespace) ?? new Map<string, Set<string>>();
  sideIndexes.set(ctx.namespace, index);
  const unindex = (key: string) => {
    for (const keys of index.values()) keys.delete(key);
  };
  const listed = async (userId: string) => {
    await inner.listByUser(userId); // its validation
    const out: Array<StoredSession<unknown>> = [];
    for (const key of index.get(userId) ?? []) {
      const record = await inner.get(key);
      if (record) out.push({ key, record });
    }
    return out;
  };
  return override(inner, {
    async set(key, record, options) {
      // Like many stores: the old owner's entry goes only when a live record names it.
      const previous = await inner.get(key).catch(() => undefined);
      if (forgets === 'conflict' && options?.ifVersion !== undefined) unindex(key);
      const result = await inner.set(key, record, options);
      const removes = record.expiresAt <= ctx.clock();
      if (removes && forgets === 'set-in-past') return result; // deleted, index untouched
      if (previous?.userId !== undefined) index.get(previous.userId)?.delete(key);
      if (removes) unindex(key);
      if (!removes && record.userId !== undefined) {
        index.set(record.userId, (index.get(record.userId) ?? new Set()).add(key));
      }
      return result;
    },
    async delete(key) {
      if (forgets !== 'delete') unindex(key);
      return inner.delete(key);
    },
    async clear() {
      if (forgets !== 'clear') index.clear();
      return inner.clear();
    },
    async prune() {
      const removed = (await inner.prune?.()) ?? 0;
      if (forgets !== 'prune') {
        for (const keys of index.values())
          for (const key of keys) if (!(await inner.get(key))) keys.delete(key);
      }
      return removed;
    },
    listByUser: listed,
    async deleteByUser(userId, options) {
      await inner.listByUser(userId); // its validation of userId
      if (options?.except !== undefined) await inner.get(options.except); // and of except
      let count = 0;
      for (const key of index.get(userId) ?? []) {
        if (key !== options?.except && (await inner.delete(key))) count++;
      }
      return count;
    },
  });
}

/** The side indexes of {@link sideIndexStore}, one per namespace. */
const sideIndexes = new Map<string, Map<string, Set<string>>>();

/** Keys this store lets through although the kit refuses them: it maps them to valid ones. */
const LOOSE_KEY = /[+=@%]|^prototype$/;
const looseKey = (key: string) =>
  typeof key === 'string' && LOOSE_KEY.test(key) ? `x${Buffer.from(key).toString('hex')}` : key;

/** The shared copy of each record this store last handed out (it should hand out copies). */
function sharingList(ctx: BuildContext): SessionStore<unknown> {
  const inner = ctx.healthy();
  const handedOut = new Map<string, SessionRecord<unknown>>();
  const shared = (key: string, record: SessionRecord<unknown>): SessionRecord<unknown> => {
    const held = handedOut.get(key);
    if (held !== undefined && held.version === record.version) return held;
    handedOut.set(key, record);
    return record;
  };
  return override(inner, {
    async get(key) {
      const record = await inner.get(key);
      return record && shared(key, record);
    },
    async list() {
      const all = (await inner.list?.()) ?? [];
      return all.map(({ key, record }) => ({ key, record: shared(key, record) }));
    },
  });
}

export const contractEdgesBroken: BrokenStore[] = [
  ...(['delete', 'clear', 'set-in-past', 'prune'] as const).map(
    (removal): BrokenStore => ({
      name: `${removal} leaves a user-index entry that listByUser and deleteByUser trust`,
      caughtBy: [`user-index-ownership/no-leftover-after-${removal}`],
      build: (ctx) => sideIndexStore(ctx, removal),
    }),
  ),
  {
    name: 'a conflicting write drops the session from its user index',
    caughtBy: ['user-index-ownership/conflict-keeps-listing'],
    build: (ctx) => sideIndexStore(ctx, 'conflict'),
  },
  {
    name: 'deleteByUser lists, waits, then deletes every listed key unconditionally',
    caughtBy: ['user-index-ownership/delete-by-user-racing-reassignment'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async deleteByUser(userId, options) {
          const listed = await inner.listByUser(userId);
          await new Promise((resolve) => setTimeout(resolve, 2));
          let count = 0;
          for (const { key } of listed) {
            if (key !== options?.except && (await inner.delete(key))) count++;
          }
          return count;
        },
      });
    },
  },
  {
    name: 'delete leaves a tombstone, so the version goes on after a delete',
    caughtBy: ['cas/recreated-after-delete-is-version-1'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const TOMBSTONE = '\u0000deleted';
      const live = (record: SessionRecord<unknown> | undefined) =>
        record?.data === TOMBSTONE ? undefined : record;
      return override(inner, {
        get: async (key) => live(await inner.get(key)),
        async delete(key) {
          const record = live(await inner.get(key));
          if (!record) return false;
          await inner.set(key, { data: TOMBSTONE, expiresAt: record.expiresAt });
          return true;
        },
      });
    },
  },
  {
    name: 'touch reads the record, waits, and writes it back with the new expiry',
    caughtBy: ['cas-race/touch-racing-set-loses-nothing'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async touch(key, expiresAt) {
          const record = await inner.get(key);
          if (!record) return false;
          await tick();
          await inner.set(key, { ...record, expiresAt });
          return true;
        },
      });
    },
  },
  {
    name: 'compare-and-set is atomic only within one store instance (a lock per instance)',
    caughtBy: ['cas-race/'],
    build: (ctx) => {
      const inner = ctx.healthy();
      let lock: Promise<unknown> = Promise.resolve();
      return override(inner, {
        set(key, record, options) {
          if (options?.ifVersion === undefined) return inner.set(key, record);
          const ifVersion = options.ifVersion;
          const run = lock.then(async () => {
            const current = await inner.get(key);
            if ((current?.version ?? 0) !== ifVersion) throw new ConflictError('broken');
            await tick();
            return inner.set(key, record);
          });
          lock = run.catch(() => {});
          return run;
        },
      });
    },
  },
  {
    name: 'lifetimes are clamped to a day',
    caughtBy: ['ttl-touch/long-lifetimes'],
    build: (ctx) => {
      const inner = ctx.healthy();
      const clamp = (expiresAt: number) => Math.min(expiresAt, ctx.clock() + 86_400_000);
      return override(inner, {
        set: (key, record, options) =>
          inner.set(key, { ...record, expiresAt: clamp(record.expiresAt) }, options),
        touch: (key, expiresAt) => inner.touch(key, clamp(expiresAt)),
      });
    },
  },
  {
    name: 'the size limit is off by one: data of exactly maxPayloadBytes is refused',
    caughtBy: ['payload-limits/exact-edge-multi-byte'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async set(key, record, options) {
          const bytes = Buffer.byteLength(JSON.stringify(record.data));
          if (bytes >= inner.maxPayloadBytes) {
            throw new TooLargeError('broken', bytes, inner.maxPayloadBytes);
          }
          return inner.set(key, record, options);
        },
      });
    },
  },
  {
    name: 'keys with + = @ % and the key "prototype" are accepted',
    caughtBy: [
      'bad-keys/key-prototype',
      'bad-keys/key-plus',
      'bad-keys/key-equals',
      'bad-keys/key-at',
      'bad-keys/key-percent',
    ],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        get: (key) => inner.get(looseKey(key)),
        set: (key, record, options) => inner.set(looseKey(key), record, options),
        touch: (key, expiresAt) => inner.touch(looseKey(key), expiresAt),
        delete: (key) => inner.delete(looseKey(key)),
      });
    },
  },
  {
    name: 'DEL and the ends of the C1 range are dropped from userIds instead of refused',
    caughtBy: [
      'bad-user-ids/user-id-delete-char',
      'bad-user-ids/user-id-c1-first',
      'bad-user-ids/user-id-c1-last',
    ],
    build: (ctx) => {
      const inner = ctx.healthy();
      const clean = (userId: string) =>
        typeof userId === 'string' ? userId.replace(/[\u007f\u0080\u009f]/g, '') : userId;
      return override(inner, {
        set: (key, record, options) =>
          inner.set(
            key,
            record.userId === undefined ? record : { ...record, userId: clean(record.userId) },
            options,
          ),
        listByUser: (userId) => inner.listByUser(clean(userId)),
        deleteByUser: (userId, options) => inner.deleteByUser(clean(userId), options),
      });
    },
  },
  {
    name: "prune() also prunes other namespaces' expired records",
    caughtBy: ['physical-removal/prune-own-namespace-only'],
    build: (ctx) => {
      const inner = ctx.healthy();
      return override(inner, {
        async prune() {
          let removed = 0;
          for (const namespace of ctx.backend.namespaces.keys()) {
            const other = ctx.healthy({ namespace });
            const count = (await other.prune?.()) ?? 0;
            if (namespace === ctx.namespace) removed = count;
            await other.close();
          }
          return removed;
        },
      });
    },
  },
  {
    name: 'list() hands out the records it holds, not copies',
    caughtBy: ['payloads/namespace-list-returns-copy'],
    build: sharingList,
  },
];
