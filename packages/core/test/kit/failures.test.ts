// The one error-mapping site: what a caller sees for whatever a driver throws.
import { describe, expect, test } from 'vitest';
import { ConflictError, CorruptError, isSessionError, UnavailableError } from '../../src/errors.js';
import { describeError } from '../../src/kit/index.js';
import { rejection, SOURCE, scriptedDriver, storeOn } from './scripted-driver.js';

const throwing = (err: unknown) => () => {
  throw err;
};
const rejecting = (err: unknown) => () => Promise.reject(err);

describe('a driver failure reaches the caller as', () => {
  test.each([
    ['TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['RangeError', new RangeError('Invalid array length')],
    ['ReferenceError', new ReferenceError('client is not defined')],
    ['SyntaxError', new SyntaxError('Unexpected token')],
  ])('a %s from a bug: rethrown as it is, never disguised as an outage', async (_, bug) => {
    for (const how of [throwing, rejecting]) {
      const store = storeOn(scriptedDriver({ get: how(bug) as never }));
      expect(await rejection(store.get('k'))).toBe(bug);
      await store.close();
    }
  });

  test('a connection failure: UNAVAILABLE, the driver error as cause, the source in the message', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    for (const how of [throwing, rejecting]) {
      const store = storeOn(scriptedDriver({ set: how(refused) as never }));
      const err = await rejection(store.set('k', { data: 1, expiresAt: Date.now() + 1000 }));
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err.cause).toBe(refused);
      expect(err.message).toBe(`[${SOURCE}] set failed: connect ECONNREFUSED 127.0.0.1:1`);
      await store.close();
    }
  });

  test('a SessionError: as it is', async () => {
    const corrupt = new CorruptError('@sessions/other', 'bad header');
    const store = storeOn(scriptedDriver({ get: rejecting(corrupt) as never }));
    expect(await rejection(store.get('k'))).toBe(corrupt);
  });

  test("the driver's own reading of its errors wins: corrupt, bug, unavailable, or an error of its own", async () => {
    const wrongType = new Error(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    const argumentError = new Error('MongoInvalidArgumentError: bad option');
    const fetchFailed = new TypeError('fetch failed');
    const custom = new UnavailableError(SOURCE, 'the table does not exist: run ensureTable()');
    const driver = scriptedDriver({
      get: ((key: string) =>
        Promise.reject(
          { a: wrongType, b: argumentError, c: fetchFailed, d: new Error('missing table') }[key],
        )) as never,
      classify: (err) => {
        if (err === wrongType) return 'corrupt';
        if (err === argumentError) return 'bug';
        if (err === fetchFailed) return 'unavailable';
        if ((err as Error).message === 'missing table') return custom;
        return undefined;
      },
    });
    const store = storeOn(driver);
    const a = await rejection(store.get('a'));
    expect(isSessionError(a, 'CORRUPT')).toBe(true);
    expect(a.cause).toBe(wrongType);
    expect(await rejection(store.get('b'))).toBe(argumentError);
    const c = await rejection(store.get('c'));
    expect(isSessionError(c, 'UNAVAILABLE')).toBe(true);
    expect(c.cause).toBe(fetchFailed);
    expect(await rejection(store.get('d'))).toBe(custom);
  });

  test('a classifier that throws leaves the error to the defaults', async () => {
    const driver = scriptedDriver({
      get: rejecting(new Error('down')) as never,
      classify: () => {
        throw new Error('classifier bug');
      },
    });
    const err = await rejection(storeOn(driver).get('k'));
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
  });

  test('anything at all, described safely: null-prototype objects, revoked proxies, throwing getters', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const getter = new Error('x');
    Object.defineProperty(getter, 'message', {
      get() {
        throw new Error('no message for you');
      },
    });
    for (const odd of [Object.create(null), proxy, getter, undefined, 42, 'text']) {
      const store = storeOn(scriptedDriver({ get: rejecting(odd) as never }));
      const err = await rejection(store.get('k'));
      expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
      expect(err.cause).toBe(odd);
      expect(typeof err.message).toBe('string');
    }
    expect(describeError('plain')).toBe('plain');
    expect(describeError(new ConflictError(SOURCE))).toMatch(/does not match/);
  });
});
