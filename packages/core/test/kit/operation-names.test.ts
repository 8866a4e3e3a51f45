// What an operator reads in a failure: which operation of the store failed, and for a corrupt
// record what is wrong. Every method is named in its own errors, so a log line says whether a
// login (set), a page view (get) or the background prune met the outage.
import { describe, expect, test } from 'vitest';
import { NextPage } from '../../src/kit/index.js';
import { pruningStoreOn, rejection, scriptedDriver, storeOn } from './scripted-driver.js';

const down = () => Promise.reject(new Error('server down'));
const MINUTE = 60_000;

describe('a failure names its operation', () => {
  test('every method, the set and touch that delete included', async () => {
    const driver = scriptedDriver({
      get: down,
      set: down,
      touch: down,
      delete: down,
      listByUser: down,
      deleteByUser: down,
      list: down,
      clear: down,
      prune: down,
      close: down,
    });
    const store = pruningStoreOn(driver as never, { pruneInterval: 0 });
    const now = Date.now();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get', () => store.get('k')],
      ['set', () => store.set('k', { data: {}, expiresAt: now + MINUTE })],
      ['set', () => store.set('k', { data: {}, expiresAt: now - 1 })], // the delete of a set in the past
      ['touch', () => store.touch('k', now + MINUTE)],
      ['touch', () => store.touch('k', now - 1)], // the delete of a touch into the past
      ['delete', () => store.delete('k')],
      ['listByUser', () => store.listByUser('u')],
      ['deleteByUser', () => store.deleteByUser('u')],
      ['list', () => store.list()],
      ['clear', () => store.clear()],
      ['prune', () => store.prune()],
      ['close', () => store.close()],
    ];
    for (const [name, call] of calls) {
      const err = await rejection(call());
      expect(err.code, name).toBe('UNAVAILABLE');
      expect(err.message).toBe(`[@sessions/test] ${name} failed: server down`);
    }
  });

  test('what the driver calls corrupt is CORRUPT, saying the backend holds something else', async () => {
    const driver = scriptedDriver({ get: down, classify: () => 'corrupt' });
    const store = storeOn(driver);
    const err = await rejection(store.get('k'));
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toBe(
      '[@sessions/test] get: the backend holds something that is not a session (server down)',
    );
    await store.close();
  });

  test('a listing cut by close() between pages is CLOSED, and asks for no further page', async () => {
    const driver = scriptedDriver({
      list: async (_op, cursor) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return cursor === undefined ? new NextPage([], 'second') : [];
      },
    });
    const store = storeOn(driver);
    const listing = rejection(store.list());
    const closing = store.close();
    expect((await listing).code).toBe('CLOSED');
    await closing;
    expect(driver.calls.filter((c) => c === 'list')).toEqual(['list']);
  });
});
