import { describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/index.js';
import { HOUR, MINUTE, setup } from './helpers.js';

describe('regenerate', () => {
  it('mints a new token for the same data; the old token is dead at once', async () => {
    const { manager, store } = setup<{ cart: string[] }>();
    const session = manager.create({ data: { cart: ['book'] }, meta: { device: 'phone' } });
    await manager.save(session);
    const next = await manager.regenerate(session, { userId: 'u1' });
    expect(next).toBeDefined();
    expect(next!.token).not.toBe(session.token);
    expect(next!.isNew).toBe(false);
    expect(await manager.load(session.token)).toBeUndefined();
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
    expect(await manager.load(next!.token)).toMatchObject({
      data: { cart: ['book'] },
      userId: 'u1',
      meta: { device: 'phone' },
    });
  });

  it('the old session object can never be saved again, even changed', async () => {
    const { manager, store } = setup();
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    const other = (await manager.load(session.token))!;
    await manager.regenerate(session);
    session.data.n = 2;
    other.data.n = 3;
    expect(await manager.save(session)).toEqual({ status: 'destroyed' });
    expect(await manager.save(other)).toEqual({ status: 'destroyed' });
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
    expect(await manager.regenerate(session)).toBeUndefined();
  });

  it('carries unsaved changes over, and works on a session that was never saved', async () => {
    const { manager } = setup();
    const session = manager.create({ data: { n: 1 } });
    session.data.n = 2;
    const next = (await manager.regenerate(session))!;
    expect((await manager.load(next.token))?.data).toEqual({ n: 2 });
  });

  it('a login (userId given) restarts the absolute lifetime; a privilege change keeps it', async () => {
    const { manager, clock } = setup({ absoluteTimeout: 8 * HOUR, idleTimeout: 30 * MINUTE });
    const anonymous = manager.create({ data: {} });
    await manager.save(anonymous);
    clock.advance(20 * MINUTE);
    const loggedIn = (await manager.regenerate(anonymous, { userId: 'u1' }))!;
    expect(loggedIn.createdAt).toBe(clock.now);
    clock.advance(20 * MINUTE);
    const elevated = (await manager.regenerate(loggedIn))!;
    expect(elevated.createdAt).toBe(loggedIn.createdAt);
    expect(elevated.userId).toBe('u1');
    const kept = (await manager.regenerate(elevated, { userId: 'u1', restartLifetime: false }))!;
    expect(kept.createdAt).toBe(loggedIn.createdAt);
  });

  it('does not bring back a session destroyed in the meantime', async () => {
    const { manager } = setup();
    const session = manager.create({ data: {}, userId: 'u1' });
    await manager.save(session);
    const loaded = (await manager.load(session.token))!;
    await manager.destroyAllForUser('u1');
    expect(await manager.regenerate(loaded, { userId: 'u1' })).toBeUndefined();
    expect(await manager.listForUser('u1')).toEqual([]);
  });

  it('does not regenerate a session past its timeouts', async () => {
    const { manager, clock } = setup({ idleTimeout: 30 * MINUTE });
    const session = manager.create({ data: {} });
    await manager.save(session);
    clock.advance(30 * MINUTE);
    expect(await manager.regenerate(session, { userId: 'u1' })).toBeUndefined();
    expect(await manager.listForUser('u1')).toEqual([]);
  });
});
