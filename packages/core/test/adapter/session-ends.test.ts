// The adapter kit's miss reasons and "log out everywhere" over the reference store. Every
// adapter gets these through SessionBridge; the adapters' own tests drive them over HTTP.
import { afterEach, describe, expect, test } from 'vitest';
import { BORN_AT_FIELD, SessionBridge } from '../../src/adapter/index.js';
import {
  isSessionError,
  MemoryStore,
  type MissEvent,
  type SessionData,
  type SessionStore,
} from '../../src/index.js';

const SOURCE = '@sessions/test-adapter';
const HOUR = 60 * 60_000;
const stores: MemoryStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A bridge over a fresh MemoryStore whose calls are recorded, and its miss events. */
function bridgeOn(options: Partial<ConstructorParameters<typeof SessionBridge>[0]> = {}) {
  const store = new MemoryStore();
  stores.push(store);
  const calls: string[] = [];
  const counted = new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  }) as SessionStore<SessionData>;
  const misses: MissEvent[] = [];
  const bridge = new SessionBridge(
    { store: counted, ...options, on: { miss: (event) => void misses.push(event) } },
    SOURCE,
  );
  return { store, bridge, calls, misses };
}

const session = (fields: SessionData = {}): SessionData => ({
  cookie: { originalMaxAge: HOUR, expires: new Date(Date.now() + HOUR) },
  ...fields,
});

describe('miss reasons', () => {
  test('a hit is one get; each miss says why, and emits it', async () => {
    const { bridge, calls, misses } = bridgeOn();
    await bridge.save('sid-1', session({ userId: 'ada' }));
    calls.length = 0;
    expect(await bridge.loadOrMiss('sid-1')).toMatchObject({ userId: 'ada' });
    expect(calls).toEqual(['get']);
    expect(await bridge.loadOrMiss('never-stored')).toBe('not-found');
    expect(misses.at(-1)?.reason).toBe('not-found');
  });

  test('rotated: the old ID after a regenerate, for rotationGrace', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('old', session({ userId: 'ada' }));
    const loaded = (await bridge.load('old')) as SessionData;
    const next = session({ userId: 'ada' });
    expect(await bridge.regenerate('old', loaded, next)).toBe(true);
    await bridge.save('new', next);
    expect(await bridge.loadOrMiss('old')).toBe('rotated');
    expect(await bridge.loadOrMiss('new')).toMatchObject({ userId: 'ada' });
  });

  test('revoked: every session "log out everywhere" ended', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('phone', session({ userId: 'ada' }));
    await bridge.save('laptop', session({ userId: 'ada' }));
    expect(await bridge.destroyAllForUser('ada', { except: 'laptop' })).toBe(1);
    expect(await bridge.loadOrMiss('phone')).toBe('revoked');
    expect(await bridge.loadOrMiss('laptop')).toMatchObject({ userId: 'ada' });
  });

  test('expired-idle: a record served past its expiry by the adapter clock', async () => {
    const { bridge } = bridgeOn({ clock: () => Date.now() + 2 * HOUR });
    await bridge.save('sid-1', session());
    expect(await bridge.loadOrMiss('sid-1')).toBe('expired-idle');
  });

  test('store-unavailable: emitted, and the read still fails', async () => {
    const { store, bridge, misses } = bridgeOn();
    await store.close();
    await expect(bridge.loadOrMiss('sid-1')).rejects.toSatisfy((e) => isSessionError(e));
    expect(misses.at(-1)?.reason).toBe('store-unavailable');
  });

  test('missReasons: false: no tombstones written or read', async () => {
    const { bridge, calls } = bridgeOn({ missReasons: false });
    await bridge.save('old', session({ userId: 'ada' }));
    const loaded = (await bridge.load('old')) as SessionData;
    calls.length = 0;
    await bridge.regenerate('old', loaded, session());
    expect(calls).toEqual(['delete']);
    calls.length = 0;
    expect(await bridge.loadOrMiss('old')).toBe('not-found');
    expect(calls).toEqual(['get']);
  });

  test('tombstones and revocation marks are not sessions: list and count skip them', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('phone', session({ userId: 'ada' }));
    await bridge.save('laptop', session({ userId: 'ada' }));
    await bridge.destroyAllForUser('ada', { except: 'laptop' });
    expect(await bridge.count()).toBe(1);
    expect((await bridge.list()).map((s) => s.session.userId)).toEqual(['ada']);
  });
});

describe('log out everywhere against a regenerate', () => {
  test('a tampered lineage field is no crash, never handed over, and counts as begun long ago', async () => {
    const { bridge, store } = bridgeOn();
    const record = { data: { ...session({ userId: 'ada' }), [BORN_AT_FIELD]: { evil: 1 } } };
    await store.set(bridge.keyOf('old'), {
      ...record,
      expiresAt: Date.now() + HOUR,
      userId: 'ada',
    });
    const loaded = (await bridge.load('old')) as SessionData;
    expect(Object.keys(loaded).sort()).toEqual(['cookie', 'userId']);
    const successor = session({ userId: 'ada' });
    expect(await bridge.regenerate('old', loaded, successor)).toBe(true);
    await bridge.destroyAllForUser('ada'); // between the regenerate's delete and its save
    expect(
      isSessionError(await bridge.save('new', successor).catch((e: unknown) => e), 'CONFLICT'),
    ).toBe(true);
  });

  test('a successor stored after the mark, of a session begun before it, is not kept', async () => {
    const { bridge, store } = bridgeOn();
    await bridge.save('old', session({ userId: 'ada' }));
    const loaded = (await bridge.load('old')) as SessionData;
    await new Promise((r) => setTimeout(r, 5)); // the session began before the logout
    // The regenerate deletes the old session first; "log out everywhere" runs before the
    // successor is stored, so its deleteByUser cannot see the successor.
    const next = session({ userId: 'ada' });
    await bridge.regenerate('old', loaded, next);
    expect(await bridge.destroyAllForUser('ada')).toBe(0);
    const failure = await bridge.save('new', next).catch((e: unknown) => e);
    expect(isSessionError(failure, 'CONFLICT')).toBe(true);
    expect(await store.listByUser('ada')).toEqual([]);
    expect(await bridge.loadOrMiss('new')).toBe('revoked');
    // And it stays refused.
    expect(
      isSessionError(await bridge.save('new', next).catch((e: unknown) => e), 'CONFLICT'),
    ).toBe(true);
  });

  test('a successor of a session already gone is refused', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('old', session({ userId: 'ada' }));
    const loaded = (await bridge.load('old')) as SessionData;
    await bridge.destroyAllForUser('ada');
    const next = session({ userId: 'ada' });
    expect(await bridge.regenerate('old', loaded, next)).toBe(false);
    expect(
      isSessionError(await bridge.save('new', next).catch((e: unknown) => e), 'CONFLICT'),
    ).toBe(true);
  });

  test('the session "log out everywhere else" kept regenerates; a session begun after it too', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('kept', session({ userId: 'ada' }));
    await new Promise((r) => setTimeout(r, 5));
    await bridge.destroyAllForUser('ada', { except: 'kept' });
    let id = 'kept';
    for (const next of ['kept-2', 'kept-3']) {
      const loaded = (await bridge.load(id)) as SessionData;
      const successor = session({ userId: 'ada' });
      await bridge.regenerate(id, loaded, successor);
      await bridge.save(next, successor);
      id = next;
    }
    expect(await bridge.loadOrMiss(id)).toMatchObject({ userId: 'ada' });
    await new Promise((r) => setTimeout(r, 5));
    await bridge.save('fresh', session({ userId: 'ada' })); // a login after the logout
    const fresh = (await bridge.load('fresh')) as SessionData;
    const successor = session({ userId: 'ada' });
    await bridge.regenerate('fresh', fresh, successor);
    await bridge.save('fresh-2', successor);
    expect(await bridge.loadOrMiss('fresh-2')).toMatchObject({ userId: 'ada' });
  });

  test('an anonymous session regenerated into a login is no concern of the mark', async () => {
    const { bridge } = bridgeOn();
    await bridge.save('anon', session());
    await bridge.save('other', session({ userId: 'ada' }));
    const loaded = (await bridge.load('anon')) as SessionData;
    const successor = session({ userId: 'ada' });
    await bridge.regenerate('anon', loaded, successor);
    await bridge.destroyAllForUser('ada');
    await bridge.save('login', successor);
    expect(await bridge.loadOrMiss('login')).toMatchObject({ userId: 'ada' });
  });
});
