/** A store behind a random delay, so that racing calls interleave the way they do in production. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionStore } from '@sessions/core';

/**
 * `store` with every call the manager makes held back by a random 0 to `maxMs` ms before it
 * starts: two racing operations then reach the backend in every order, not in the order they
 * were issued. Closing stays with the original store's owner.
 */
export function withLatency(store: SessionStore<unknown>, maxMs: number): SessionStore<unknown> {
  const delay = () => sleep(Math.random() * maxMs);
  return {
    maxPayloadBytes: store.maxPayloadBytes,
    get: async (key) => {
      await delay();
      return store.get(key);
    },
    set: async (key, record, options) => {
      await delay();
      return store.set(key, record, options);
    },
    touch: async (key, expiresAt) => {
      await delay();
      return store.touch(key, expiresAt);
    },
    delete: async (key) => {
      await delay();
      return store.delete(key);
    },
    listByUser: async (userId) => {
      await delay();
      return store.listByUser(userId);
    },
    deleteByUser: async (userId, options) => {
      await delay();
      return store.deleteByUser(userId, options);
    },
    clear: () => store.clear(),
    close: async () => undefined,
  };
}
