// SessionBridge over the reference store: keys, records, compare-and-set, misses, listing.
import { afterEach, describe, expect, test } from 'vitest';
import { BORN_AT_FIELD, SessionBridge } from '../../src/adapter/index.js';
import {
  hashSessionToken,
  isSessionError,
  MemoryStore,
  type SessionData,
} from '../../src/index.js';

const SOURCE = '@sessions/test-adapter';
const MINUTE = 60_000;
const stores: MemoryStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function bridgeOn(options: Partial<ConstructorParameters<typeof SessionBridge>[0]> = {}) {
  const store = new MemoryStore();
  stores.push(store);
  return { store, bridge: new SessionBridge({ store, ...options }, SOURCE) };
}

/** A session as a framework hands it over, its cookie expiring at `expires`. */
function sessionAt(expires: number, fields: SessionData = {}): SessionData {
  return {
    cookie: { originalMaxAge: 30 * MINUTE, expires: new Date(expires), path: '/' },
    ...fields,
  };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err) => err,
  );

describe('keys and records', () => {
  test('IDs are stored as core hashes them, or as they are with hashIds: false', async () => {
    const hashed = bridgeOn();
    const plain = bridgeOn({ hashIds: false });
    expect(hashed.bridge.keyOf('sid-1')).toBe(hashSessionToken('sid-1'));
    expect(plain.bridge.keyOf('sid-1')).toBe('sid-1');
    await hashed.bridge.save('sid-1', sessionAt(Date.now() + MINUTE));
    expect(await hashed.store.get(hashSessionToken('sid-1'))).toBeDefined();
    expect(await hashed.store.get('sid-1')).toBeUndefined();
  });

  test('cookie expiry is expiresAt to the ms; the owner is indexed; data is plain', async () => {
    const { store, bridge } = bridgeOn();
    const expires = Date.now() + 10 * MINUTE + 123;
    await bridge.save('sid-1', sessionAt(expires, { userId: 'ada', cart: ['tea'] }));
    const record = await store.get(bridge.keyOf('sid-1'));
    expect(record).toMatchObject({ expiresAt: expires, userId: 'ada' });
    const cookie = {
      originalMaxAge: 30 * MINUTE,
      expires: new Date(expires).toISOString(),
      path: '/',
    };
    // An owned session's record keeps when its lineage began, for "log out everywhere"...
    expect(record?.data).toEqual({
      cart: ['tea'],
      userId: 'ada',
      cookie,
      [BORN_AT_FIELD]: expect.any(Number),
    });
    // ...which no framework ever sees.
    expect(await bridge.load('sid-1')).toEqual({ cart: ['tea'], userId: 'ada', cookie });
  });

  test('no cookie expiry: defaultTtl from the clock', async () => {
    const now = Date.now();
    const { store, bridge } = bridgeOn({ clock: () => now, defaultTtl: 5 * MINUTE });
    await bridge.save('sid-1', { cookie: { expires: null } });
    await bridge.save('sid-2', {});
    expect((await store.get(bridge.keyOf('sid-1')))?.expiresAt).toBe(now + 5 * MINUTE);
    expect((await store.get(bridge.keyOf('sid-2')))?.expiresAt).toBe(now + 5 * MINUTE);
  });
});

describe('saves: compare-and-set for loaded objects, upsert for the others', () => {
  test('load, edit, save', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('sid-1', sessionAt(Date.now() + MINUTE, { n: 1 }));
    const loaded = (await bridge.load('sid-1')) as SessionData;
    loaded.n = 2;
    await bridge.save('sid-1', loaded);
    loaded.n = 3;
    await bridge.save('sid-1', loaded); // the first save moved it to its new version
    expect((await bridge.load('sid-1'))?.n).toBe(3);
  });

  test('an object never loaded overwrites whatever is stored', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('sid-1', sessionAt(Date.now() + MINUTE, { n: 1 }));
    await bridge.save('sid-1', sessionAt(Date.now() + MINUTE, { n: 2 }));
    expect((await bridge.load('sid-1'))?.n).toBe(2);
  });

  test('a loaded object fails with CONFLICT after another write or a destroy, and writes nothing', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('sid-1', sessionAt(Date.now() + MINUTE, { n: 1 }));
    const first = (await bridge.load('sid-1')) as SessionData;
    const second = (await bridge.load('sid-1')) as SessionData;
    await bridge.save('sid-1', { ...second, n: 2 }); // a copy: never loaded, an upsert
    expect(isSessionError(await failureOf(bridge.save('sid-1', first)), 'CONFLICT')).toBe(true);
    await bridge.destroy('sid-1');
    expect(isSessionError(await failureOf(bridge.save('sid-1', second)), 'CONFLICT')).toBe(true);
    expect(await bridge.load('sid-1')).toBeNull();
  });

  test('an object adopted by a framework Session saves against the loaded version', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('sid-1', sessionAt(Date.now() + MINUTE, { n: 1 }));
    const loaded = (await bridge.load('sid-1')) as SessionData;
    const built = { ...loaded };
    bridge.loaded.adopt(loaded, built);
    await bridge.destroy('sid-1');
    expect(isSessionError(await failureOf(bridge.save('sid-1', built)), 'CONFLICT')).toBe(true);
  });
});

describe('touch', () => {
  test('moves expiresAt, and the next load reads the new cookie.expires', async () => {
    const { store, bridge } = bridgeOn();
    const later = Date.now() + 40 * MINUTE;
    await bridge.save('sid-1', sessionAt(Date.now() + 10 * MINUTE, { n: 1 }));
    const before = await store.get(bridge.keyOf('sid-1'));
    expect(await bridge.touch('sid-1', sessionAt(later))).toBe(true);
    const after = await store.get(bridge.keyOf('sid-1'));
    expect(after).toMatchObject({ expiresAt: later, version: before?.version });
    const cookie = (await bridge.load('sid-1'))?.cookie as SessionData;
    expect(cookie.expires).toBe(new Date(later).toISOString());
  });

  test('never creates', async () => {
    const { bridge } = bridgeOn();
    expect(await bridge.touch('sid-1', sessionAt(Date.now() + MINUTE))).toBe(false);
    expect(await bridge.load('sid-1')).toBeNull();
  });
});

describe('IDs no store can hold are misses', () => {
  test('load null, touch false, destroy quietly; a save still fails', async () => {
    const { bridge } = bridgeOn({ hashIds: false });
    expect(await bridge.load('not a key!')).toBeNull();
    expect(await bridge.touch('not a key!', sessionAt(Date.now() + MINUTE))).toBe(false);
    await expect(bridge.destroy('not a key!')).resolves.toBeUndefined();
    const failure = await failureOf(bridge.save('not a key!', sessionAt(Date.now() + MINUTE)));
    expect(isSessionError(failure, 'INVALID_KEY')).toBe(true);
  });
});

describe('listing', () => {
  test('with IDs when they are stored as they are', async () => {
    const { bridge } = bridgeOn({ hashIds: false });
    await bridge.save('sid-a', sessionAt(Date.now() + MINUTE, { n: 1 }));
    await bridge.save('sid-b', sessionAt(Date.now() + MINUTE, { n: 2 }));
    const listed = await bridge.list();
    expect(listed.map(({ id, session }) => [id, session.n]).sort()).toEqual([
      ['sid-a', 1],
      ['sid-b', 2],
    ]);
    expect(await bridge.count()).toBe(2);
    await bridge.clear();
    expect(await bridge.count()).toBe(0);
  });

  test('without IDs when only their hashes are stored', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('sid-a', sessionAt(Date.now() + MINUTE, { n: 1 }));
    expect(await bridge.list()).toEqual([
      { id: undefined, session: expect.objectContaining({ n: 1 }) },
    ]);
  });

  test('a store without list() is a TypeError naming the adapter', async () => {
    const store = new MemoryStore();
    stores.push(store);
    const bridge = new SessionBridge(
      { store: { ...store, get: store.get, set: store.set, list: undefined } as never },
      SOURCE,
    );
    await expect(bridge.count()).rejects.toThrow(/\[@sessions\/test-adapter\] .*list\(\)/);
  });
});

describe('tampered records are CORRUPT, never data a framework would choke on', () => {
  test('data that is not an object, or a cookie no framework could rebuild', async () => {
    const { store, bridge } = bridgeOn();
    const expiresAt = Date.now() + MINUTE;
    for (const data of [[1, 2], 'text', { cookie: 'x' }, { cookie: { maxAge: { valueOf: 1 } } }]) {
      await store.set(bridge.keyOf('sid-1'), { data: data as never, expiresAt });
      const failure = await failureOf(bridge.load('sid-1'));
      expect(isSessionError(failure, 'CORRUPT')).toBe(true);
      expect(failure.source).toBe(SOURCE);
    }
  });

  test('an own __proto__ field (from a lenient codec) is dropped', async () => {
    const lenient = { name: 'lenient', encode: JSON.stringify, decode: JSON.parse };
    const store = new MemoryStore({ codec: lenient });
    stores.push(store);
    const bridge = new SessionBridge({ store }, SOURCE);
    await store.set(bridge.keyOf('sid-1'), {
      data: JSON.parse('{"__proto__": {"admin": true}, "n": 1}'),
      expiresAt: Date.now() + MINUTE,
    });
    const loaded = (await bridge.load('sid-1')) as SessionData;
    expect(loaded.n).toBe(1);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect((loaded as { admin?: boolean }).admin).toBeUndefined();
  });
});
