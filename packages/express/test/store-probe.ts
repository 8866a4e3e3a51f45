// A real store seen through a probe: counts its writes, and can make them fail the way a
// read-only replica or a write lock held past the deadline does (reads still work).
import { type SessionStore, UnavailableError } from '@sessions/core';
import { isBookkeepingKey } from '@sessions/core/adapter';

const WRITES = ['set', 'touch', 'delete', 'clear'] as const;
const READS = ['get', 'list', 'listByUser'] as const;
type Write = (typeof WRITES)[number];

export interface ProbedStore {
  store: SessionStore;
  /** Writes of sessions made so far, by method. */
  writes: Record<Write, number>;
  /** Writes of the adapter's bookkeeping records (miss-reason tombstones, revocation marks). */
  bookkeeping: number;
  /** While true, every write fails with `UNAVAILABLE` before reaching the store. */
  failWrites: boolean;
  /** While true, every read fails with `UNAVAILABLE` before reaching the store. */
  failReads: boolean;
  /** Called before each read or write, before deciding whether it fails. */
  beforeCall?: (method: string) => void;
}

export function probe(inner: SessionStore): ProbedStore {
  const probed: ProbedStore = {
    store: inner,
    writes: { set: 0, touch: 0, delete: 0, clear: 0 },
    bookkeeping: 0,
    failWrites: false,
    failReads: false,
  };
  probed.store = new Proxy(inner, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const isWrite = (WRITES as readonly PropertyKey[]).includes(name);
      const isRead = (READS as readonly PropertyKey[]).includes(name);
      if (!isWrite && !isRead) return value.bind(target);
      return (...args: unknown[]) => {
        if (isWrite && isBookkeepingKey(String(args[0]))) probed.bookkeeping++;
        else if (isWrite) probed.writes[name as Write]++;
        probed.beforeCall?.(String(name));
        if (isWrite ? probed.failWrites : probed.failReads) {
          return Promise.reject(new UnavailableError('probe', `${String(name)} is failing`));
        }
        return value.apply(target, args);
      };
    },
  });
  return probed;
}

/** The number of writes of every kind. */
export function totalWrites(probed: ProbedStore): number {
  return Object.values(probed.writes).reduce((sum, n) => sum + n, 0);
}
