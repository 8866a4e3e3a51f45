import { describe, expect, it } from 'vitest';
import { createSessionManager, hashSessionToken } from '../../src/index.js';
import { HOUR, MINUTE, setup } from './helpers.js';

describe('idle and absolute timeouts', () => {
  it('expiresAt is min(lastSeenAt + idle, createdAt + absolute), and createdAt never moves', async () => {
    const { manager, clock, store } = setup({
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: HOUR,
      touchAfter: MINUTE,
    });
    const session = manager.create({ data: { n: 0 } });
    const createdAt = session.createdAt;
    await manager.save(session);
    expect(session.expiresAt).toBe(createdAt + 30 * MINUTE);
    clock.advance(25 * MINUTE);
    session.data.n = 1;
    await manager.save(session);
    expect(session.expiresAt).toBe(createdAt + 55 * MINUTE);
    clock.advance(20 * MINUTE); // 45 min in: idle would allow 75, absolute caps at 60
    session.data.n = 2;
    await manager.save(session);
    expect(session.expiresAt).toBe(createdAt + HOUR);
    expect(session.createdAt).toBe(createdAt);
    const record = await store.get(hashSessionToken(session.token));
    expect(record?.expiresAt).toBe(createdAt + HOUR);
    expect(record?.data).toMatchObject({ createdAt });
  });

  it('an idle session dies exactly at lastSeenAt + idleTimeout', async () => {
    const { manager, clock } = setup({ idleTimeout: 30 * MINUTE });
    const session = manager.create({ data: {} });
    await manager.save(session);
    clock.advance(30 * MINUTE - 1);
    expect(await manager.load(session.token)).toBeDefined();
    clock.advance(1);
    expect(await manager.load(session.token)).toBeUndefined();
  });

  it('use keeps it alive: each due touch moves the idle deadline', async () => {
    const { manager, clock } = setup({ idleTimeout: 30 * MINUTE, touchAfter: MINUTE });
    const session = manager.create({ data: {} });
    await manager.save(session);
    for (let i = 0; i < 5; i++) {
      clock.advance(20 * MINUTE);
      const loaded = await manager.load(session.token);
      expect(loaded).toBeDefined();
      expect(await manager.save(loaded!)).toEqual({ status: 'saved' });
    }
    clock.advance(30 * MINUTE);
    expect(await manager.load(session.token)).toBeUndefined();
  });

  it('touching forever still dies at the absolute limit', async () => {
    const { manager, clock } = setup({
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: 8 * HOUR,
      touchAfter: MINUTE,
    });
    const session = manager.create({ data: {} });
    await manager.save(session);
    const deadline = session.createdAt + 8 * HOUR;
    let requests = 0;
    while (clock.now + 2 * MINUTE < deadline) {
      clock.advance(2 * MINUTE);
      const loaded = await manager.load(session.token);
      expect(loaded, `request at ${clock.now - session.createdAt} ms`).toBeDefined();
      await manager.save(loaded!);
      expect(loaded!.expiresAt).toBeLessThanOrEqual(deadline);
      requests++;
    }
    expect(requests).toBeGreaterThan(200);
    clock.now = deadline - 1;
    expect(await manager.load(session.token)).toBeDefined();
    clock.now = deadline;
    expect(await manager.load(session.token)).toBeUndefined();
  });

  it('the manager enforces its own limits on load, even when the store still serves the record', async () => {
    const {
      manager: generous,
      clock,
      store,
    } = setup({ idleTimeout: 4 * HOUR, absoluteTimeout: 24 * HOUR });
    const session = generous.create({ data: {} });
    await generous.save(session);
    // The configuration tightens: both limits now cut the session off before the stored expiry.
    const strict = createSessionManager({
      store,
      clock: clock.read,
      idleTimeout: HOUR,
      absoluteTimeout: 2 * HOUR,
    });
    clock.advance(HOUR);
    expect(await store.get(hashSessionToken(session.token))).toBeDefined();
    expect(await strict.load(session.token)).toBeUndefined();
    // ...and removed at the backend, so no other reader can use it either.
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
  });

  it('the absolute limit is checked on load against createdAt, not only the stored expiry', async () => {
    const {
      manager: generous,
      clock,
      store,
    } = setup({ idleTimeout: 4 * HOUR, absoluteTimeout: 24 * HOUR });
    const session = generous.create({ data: {} });
    await generous.save(session);
    const strict = createSessionManager({
      store,
      clock: clock.read,
      idleTimeout: 4 * HOUR,
      absoluteTimeout: 2 * HOUR,
    });
    clock.advance(2 * HOUR - 1);
    expect(await strict.load(session.token)).toBeDefined();
    clock.advance(1);
    expect(await strict.load(session.token)).toBeUndefined();
  });

  it('a save after the session timed out writes nothing and reports it destroyed', async () => {
    const { manager, clock, store } = setup({ idleTimeout: 30 * MINUTE });
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    clock.advance(30 * MINUTE);
    session.data.n = 2;
    expect(await manager.save(session)).toEqual({ status: 'destroyed' });
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
  });

  it('refuses timeouts that cannot work', () => {
    const store = setup().store;
    expect(() => createSessionManager({ store, idleTimeout: 0 })).toThrow(TypeError);
    expect(() => createSessionManager({ store, absoluteTimeout: -1 })).toThrow(TypeError);
    expect(() => createSessionManager({ store, idleTimeout: 1.5 })).toThrow(TypeError);
    expect(() => createSessionManager({ store, idleTimeout: MINUTE, touchAfter: MINUTE })).toThrow(
      TypeError,
    );
    expect(() => createSessionManager({ store, maxRetries: -1 })).toThrow(TypeError);
  });
});
