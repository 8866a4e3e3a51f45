import { describe, expect, it } from 'vitest';
import { hashSessionToken, type SessionManager } from '../../src/index.js';
import { MINUTE, setup } from './helpers.js';

async function login(manager: SessionManager<{ n?: number }>, userId: string, device: string) {
  const session = manager.create({ data: {}, userId, meta: { device } });
  await manager.save(session);
  return session;
}

describe("a user's sessions", () => {
  it('listForUser describes live sessions, newest first, flags the current one, and holds no token', async () => {
    const { manager, clock } = setup();
    const laptop = await login(manager, 'u1', 'laptop');
    clock.advance(MINUTE);
    const phone = await login(manager, 'u1', 'phone');
    await login(manager, 'u2', 'tablet');
    const list = await manager.listForUser('u1', { current: laptop });
    expect(list).toEqual([
      {
        handle: phone.handle,
        createdAt: phone.createdAt,
        lastSeenAt: phone.lastSeenAt,
        expiresAt: phone.expiresAt,
        meta: { device: 'phone' },
        current: false,
      },
      expect.objectContaining({ handle: laptop.handle, meta: { device: 'laptop' }, current: true }),
    ]);
    const text = JSON.stringify(list);
    expect(text).not.toContain(laptop.token);
    expect(text).not.toContain(phone.token);
    expect(laptop.handle).toBe(hashSessionToken(laptop.token));
  });

  it('revoke ends one session by handle; a handle of another user changes nothing', async () => {
    const { manager } = setup();
    const mine = await login(manager, 'u1', 'laptop');
    const theirs = await login(manager, 'u2', 'phone');
    expect(await manager.revoke('u1', theirs.handle)).toBe(false);
    expect(await manager.load(theirs.token)).toBeDefined();
    expect(await manager.revoke('u1', 'not-a-handle')).toBe(false);
    expect(await manager.revoke('u1', mine.token)).toBe(false);
    expect(await manager.revoke('u1', mine.handle)).toBe(true);
    expect(await manager.load(mine.token)).toBeUndefined();
    expect(await manager.revoke('u1', mine.handle)).toBe(false);
  });

  it('revoke works with hashing off too, where the handle is not the store key', async () => {
    const { manager, store } = setup({ hashTokens: false });
    const mine = await login(manager, 'u1', 'laptop');
    const theirs = await login(manager, 'u2', 'phone');
    expect(await store.get(mine.token)).toBeDefined();
    const [listed] = await manager.listForUser('u1');
    expect(listed?.handle).toBe(hashSessionToken(mine.token));
    expect(JSON.stringify(listed)).not.toContain(mine.token);
    expect(await manager.revoke('u1', theirs.handle)).toBe(false);
    expect(await manager.revoke('u1', mine.handle)).toBe(true);
    expect(await manager.load(mine.token)).toBeUndefined();
    expect(await manager.load(theirs.token)).toBeDefined();
  });

  it("destroyAllForUser with except leaves only the current session of that user, and none of another user's touched", async () => {
    const { manager } = setup();
    const current = await login(manager, 'u1', 'laptop');
    const others = [await login(manager, 'u1', 'phone'), await login(manager, 'u1', 'tablet')];
    const stranger = [await login(manager, 'u2', 'laptop'), await login(manager, 'u2', 'phone')];
    expect(await manager.destroyAllForUser('u1', { except: current })).toBe(2);
    expect(await manager.load(current.token)).toBeDefined();
    for (const s of others) expect(await manager.load(s.token)).toBeUndefined();
    for (const s of stranger) expect(await manager.load(s.token)).toBeDefined();
    expect((await manager.listForUser('u1')).map((d) => d.handle)).toEqual([current.handle]);
    expect(await manager.destroyAllForUser('u1')).toBe(1);
    expect(await manager.listForUser('u1')).toEqual([]);
    expect(await manager.listForUser('u2')).toHaveLength(2);
  });

  it('a session that changes owner moves between users', async () => {
    const { manager } = setup();
    const session = await login(manager, 'u1', 'laptop');
    session.userId = 'u2';
    await manager.save(session);
    expect(await manager.listForUser('u1')).toEqual([]);
    expect(await manager.listForUser('u2')).toHaveLength(1);
  });

  it('does not list sessions past the manager timeouts', async () => {
    const { manager, clock } = setup({ idleTimeout: 30 * MINUTE });
    await login(manager, 'u1', 'laptop');
    clock.advance(30 * MINUTE);
    expect(await manager.listForUser('u1')).toEqual([]);
  });
});
