// Miss reasons: each reason from the manager, what telling them costs, and what stays free.
// The same reasons over HTTP, on every store, are in packages/hono/test/miss-scenarios.ts.
import { describe, expect, it } from 'vitest';
import {
  createSessionManager,
  generateSessionToken,
  MemoryStore,
  type SessionManagerOptions,
} from '../../src/index.js';
import { tombstoneKey } from '../../src/manager/miss-reasons.js';
import { countingStore, FakeClock, HOUR, MINUTE, setup } from './helpers.js';

function counted(options: Partial<SessionManagerOptions> = {}) {
  let counter: ReturnType<typeof countingStore> | undefined;
  const harness = setup(options, (inner) => {
    counter = countingStore(inner);
    return counter.store;
  });
  const calls = () => Object.fromEntries(counter?.calls ?? []);
  const reset = () => counter?.calls.clear();
  return { ...harness, calls, reset };
}

describe('loadWithReason', () => {
  it('a hit is exactly one get, and nothing else', async () => {
    const { manager, calls, reset } = counted();
    const session = manager.create({ data: { n: 1 }, userId: 'u1' });
    await manager.save(session);
    reset();
    const result = await manager.loadWithReason(session.token);
    expect(result.session?.data).toEqual({ n: 1 });
    expect(result.reason).toBeUndefined();
    expect(calls()).toEqual({ get: 1 });
    reset();
    manager.on('miss', () => undefined); // a miss listener changes nothing for a hit
    await manager.load(session.token);
    expect(calls()).toEqual({ get: 1 });
  });

  it('no-cookie and malformed cost no store call', async () => {
    const { manager, calls } = counted();
    expect(await manager.loadWithReason(undefined)).toEqual({ reason: 'no-cookie' });
    for (const bad of ['', 'x', 'A'.repeat(44), '../../etc', `${'A'.repeat(42)}B`]) {
      expect(await manager.loadWithReason(bad)).toEqual({ reason: 'malformed' });
    }
    expect(calls()).toEqual({});
  });

  it('not-found: an unknown well-formed token costs one get, and one more for its tombstone', async () => {
    const { manager, calls } = counted();
    expect(await manager.loadWithReason(generateSessionToken())).toEqual({ reason: 'not-found' });
    expect(calls()).toEqual({ get: 2 });
  });

  it('load alone never reads a tombstone unless a miss listener asks', async () => {
    const { manager, calls, reset } = counted();
    expect(await manager.load(generateSessionToken())).toBeUndefined();
    expect(calls()).toEqual({ get: 1 });
    reset();
    const reasons: string[] = [];
    manager.on('miss', (event) => reasons.push(event.reason));
    expect(await manager.load(generateSessionToken())).toBeUndefined();
    expect(calls()).toEqual({ get: 2 });
    expect(reasons).toEqual(['not-found']);
  });

  it('a logged-out session is not-found (logging out leaves no tombstone)', async () => {
    const { manager } = setup();
    const session = manager.create({ data: {} });
    await manager.save(session);
    await manager.destroy(session);
    expect(await manager.loadWithReason(session.token)).toEqual({ reason: 'not-found' });
  });

  it('rotated: the old token after regenerate, for the grace window only', async () => {
    const { manager, clock, calls, reset } = counted({ rotationGrace: MINUTE });
    const session = manager.create({ data: {} });
    await manager.save(session);
    reset();
    const next = await manager.regenerate(session, { userId: 'u1' });
    expect(next).toBeDefined();
    // The tombstone is the one extra write of a regenerate.
    expect(calls()).toEqual({ delete: 1, set: 2 });
    expect(await manager.loadWithReason(session.token)).toEqual({ reason: 'rotated' });
    clock.advance(MINUTE);
    expect(await manager.loadWithReason(session.token)).toEqual({ reason: 'not-found' });
  });

  it('rotationGrace 0 writes no tombstone', async () => {
    const { manager, calls, reset } = counted({ rotationGrace: 0 });
    const session = manager.create({ data: {} });
    await manager.save(session);
    reset();
    await manager.regenerate(session);
    expect(calls()).toEqual({ delete: 1, set: 1 });
    expect(await manager.loadWithReason(session.token)).toEqual({ reason: 'not-found' });
  });

  it('revoked: by revoke of its handle, until the session would have expired anyway', async () => {
    const { manager, clock } = setup({ idleTimeout: 30 * MINUTE });
    const phone = manager.create({ data: {}, userId: 'u1' });
    await manager.save(phone);
    expect(await manager.revoke('u1', phone.handle)).toBe(true);
    expect(await manager.loadWithReason(phone.token)).toEqual({ reason: 'revoked' });
    clock.advance(30 * MINUTE);
    expect(await manager.loadWithReason(phone.token)).toEqual({ reason: 'not-found' });
  });

  it('revoked: by "log out everywhere", all but the kept session', async () => {
    const { manager, clock, calls, reset } = counted();
    const kept = manager.create({ data: {}, userId: 'u1' });
    const other = manager.create({ data: {}, userId: 'u1' });
    const third = manager.create({ data: {}, userId: 'u1' });
    for (const s of [kept, other, third]) await manager.save(s);
    clock.advance(MINUTE);
    reset();
    expect(await manager.destroyAllForUser('u1', { except: kept })).toBe(2);
    // The mark (get, set), a listByUser, one tombstone per ended session, the delete.
    expect(calls()).toEqual({ get: 1, set: 3, listByUser: 1, deleteByUser: 1 });
    expect(await manager.loadWithReason(other.token)).toEqual({ reason: 'revoked' });
    expect(await manager.loadWithReason(third.token)).toEqual({ reason: 'revoked' });
    expect((await manager.loadWithReason(kept.token)).session).toBeDefined();
  });

  it('missReasons: false writes no tombstone and reads none', async () => {
    const { manager, calls, reset } = counted({ missReasons: false });
    const session = manager.create({ data: {}, userId: 'u1' });
    await manager.save(session);
    const next = (await manager.regenerate(session))!;
    await manager.revoke('u1', next.handle);
    reset();
    expect(await manager.loadWithReason(session.token)).toEqual({ reason: 'not-found' });
    expect(await manager.loadWithReason(next.token)).toEqual({ reason: 'not-found' });
    expect(calls()).toEqual({ get: 2 });
  });

  it('expired-idle and expired-absolute, while the store still serves the record', async () => {
    // The store's clock stays behind (a skewed server, or timeouts shortened since the write):
    // the record is still live there, and the manager's own limits decide which one ended it.
    const clock = new FakeClock();
    const storeNow = clock.now;
    const store = new MemoryStore<unknown>({ clock: () => storeNow, pruneInterval: 0 });
    const manager = createSessionManager({
      store,
      clock: clock.read,
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: HOUR,
      touchAfter: MINUTE,
    });
    const idle = manager.create({ data: {} });
    const busy = manager.create({ data: {} });
    await manager.save(idle);
    await manager.save(busy);
    // `busy` stays active (a touch every 25 minutes); `idle` is not seen again.
    for (let i = 0; i < 2; i++) {
      clock.advance(25 * MINUTE);
      expect(await manager.save((await manager.load(busy.token))!)).toEqual({ status: 'saved' });
    }
    expect(await manager.loadWithReason(idle.token)).toEqual({ reason: 'expired-idle' });
    clock.advance(11 * MINUTE); // past the absolute hour, well within busy's idle limit
    expect(await manager.loadWithReason(busy.token)).toEqual({ reason: 'expired-absolute' });
    // Both were removed at the store when found over their limits.
    expect(await manager.loadWithReason(busy.token)).toEqual({ reason: 'not-found' });
    await store.close();
  });
});

describe('tombstones', () => {
  it('are not sessions: no userId, never listed, and keyed by the handle, not the token', async () => {
    const { manager, store, dump } = setup();
    const session = manager.create({ data: {}, userId: 'u1' });
    await manager.save(session);
    const next = (await manager.regenerate(session))!;
    const stone = await store.get(tombstoneKey(session.handle));
    expect(stone?.userId).toBeUndefined();
    expect(stone?.data).toMatchObject({ reason: 'rotated' });
    expect((await store.listByUser('u1')).map((e) => e.key)).toEqual([next.handle]);
    expect(dump()).not.toContain(session.token);
  });
});
