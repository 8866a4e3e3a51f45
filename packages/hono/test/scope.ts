// What every scenario file shares: stores opened for one test and closed after it, waiting for
// a lagging user index, and a fresh user id.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { richCodec, SessionStore } from '@sessions/core';
import { afterEach } from 'vitest';

/** Opens a fresh store for one test (a backend's test file passes its own). */
export type MakeStore = (options?: { codec?: typeof richCodec }) => Promise<SessionStore>;

/** `makeStore`, with every store it opens closed after each test (close() is safe twice). */
export function closedAfterEach(makeStore: MakeStore): MakeStore {
  const opened: SessionStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const store = await makeStore(options);
    opened.push(store);
    return store;
  };
}

/** Call `fn` until it passes, for at most `ms` (a store's user index may lag behind). */
export async function eventually(fn: () => Promise<void>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

/** A user id no other test uses. */
export const newUser = (): string => `u-${randomUUID()}`;
