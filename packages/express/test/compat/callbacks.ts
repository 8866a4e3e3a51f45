// Callbacks as express-session calls them: once, and an exception thrown by the caller's own
// callback is that caller's uncaught exception, never the store's unhandled rejection.
import type { SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { ExpressSessionStore } from '../../src/index.js';
import { closedAfterEach } from '../app.js';
import { sessionData, whereThrowsLand } from './support.js';

type Call = (store: ExpressSessionStore, callback: (...args: unknown[]) => void) => void;

const CALLS: Record<string, Call> = {
  get: (s, cb) => s.get('sid-1', cb),
  set: (s, cb) => s.set('sid-2', sessionData(), cb),
  touch: (s, cb) => s.touch('sid-1', sessionData(), cb),
  destroy: (s, cb) => s.destroy('sid-1', cb),
  all: (s, cb) => s.all(cb),
  length: (s, cb) => s.length(cb),
  clear: (s, cb) => s.clear(cb),
};

export function callbacksCompat(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  for (const [method, call] of Object.entries(CALLS)) {
    test(`a callback that throws from ${method}() is called once and thrown as uncaught`, async () => {
      const store = new ExpressSessionStore({ store: await open() });
      await store.set('sid-1', sessionData());
      const boom = new Error(`thrown by the ${method} callback`);
      let calls = 0;
      const landed = await whereThrowsLand(() =>
        call(store, () => {
          calls++;
          throw boom;
        }),
      );
      expect(calls).toBe(1);
      expect(landed).toEqual({ uncaught: [boom], rejected: [] });
    });
  }
}
