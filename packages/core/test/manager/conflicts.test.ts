import { describe, expect, it } from 'vitest';
import { hashSessionToken, isSessionError, UnavailableError } from '../../src/index.js';
import { MINUTE, overrideStore, setup } from './helpers.js';

describe('no lost updates, no resurrection', () => {
  it('two requests saving changes on one loaded version: one wins, the other gets CONFLICT and writes nothing', async () => {
    const { manager, store } = setup();
    const created = manager.create({ data: { n: 0 } });
    await manager.save(created);
    const a = (await manager.load(created.token))!;
    const b = (await manager.load(created.token))!;
    a.data.n = 1;
    b.data.n = 2;
    expect(await manager.save(a)).toEqual({ status: 'saved' });
    await expect(manager.save(b)).rejects.toSatisfy((err) => isSessionError(err, 'CONFLICT'));
    expect((await manager.load(created.token))?.data).toEqual({ n: 1 });
    // The loser stays stale: saving again still conflicts instead of overwriting.
    await expect(manager.save(b)).rejects.toSatisfy((err) => isSessionError(err, 'CONFLICT'));
    expect((await store.get(hashSessionToken(created.token)))?.version).toBe(2);
  });

  it('a touch that loses to a newer write is not an error (the newer write moved the expiry)', async () => {
    const { manager, clock } = setup({ touchAfter: MINUTE });
    const created = manager.create({ data: { n: 0 } });
    await manager.save(created);
    clock.advance(2 * MINUTE);
    const reader = (await manager.load(created.token))!;
    const writer = (await manager.load(created.token))!;
    writer.data.n = 1;
    await manager.save(writer);
    expect(await manager.save(reader)).toEqual({ status: 'unchanged' });
    expect((await manager.load(created.token))?.data).toEqual({ n: 1 });
  });

  it('destroy, then a stale save of the same session: stays destroyed', async () => {
    const { manager, store, dump } = setup();
    const session = manager.create({ data: { n: 0 }, userId: 'u1' });
    await manager.save(session);
    const stale = (await manager.load(session.token))!;
    expect(await manager.destroy(session.token)).toBe(true);
    stale.data.n = 1;
    expect(await manager.save(stale)).toEqual({ status: 'destroyed' });
    expect(await manager.save(stale)).toEqual({ status: 'destroyed' });
    expect(await manager.load(session.token)).toBeUndefined();
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
    expect(dump()).not.toContain(hashSessionToken(session.token));
    // Destroying the object itself: a later save does no I/O and stays destroyed.
    expect(await manager.destroy(session)).toBe(false);
    expect(await manager.save(session)).toEqual({ status: 'destroyed' });
  });

  it('a destroy that fails leaves the session usable and says so with a typed error', async () => {
    let down = false;
    const { manager } = setup({}, (store) =>
      overrideStore(store, {
        delete: async (key) => {
          if (down) throw new UnavailableError('test', 'the backend is down');
          return store.delete(key);
        },
      }),
    );
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    down = true;
    await expect(manager.destroy(session)).rejects.toSatisfy((err) =>
      isSessionError(err, 'UNAVAILABLE'),
    );
    await expect(manager.regenerate(session)).rejects.toSatisfy((err) =>
      isSessionError(err, 'UNAVAILABLE'),
    );
    down = false;
    session.data.n = 2;
    expect(await manager.save(session)).toEqual({ status: 'saved' });
    expect(await manager.destroy(session)).toBe(true);
    expect(await manager.save(session)).toEqual({ status: 'destroyed' });
  });

  it('a slow request that loaded before logout and saves after does not restore the session', async () => {
    const { manager, clock, store } = setup<{ cart: number }>({ touchAfter: MINUTE });
    const session = manager.create({ data: { cart: 1 }, userId: 'u1' });
    await manager.save(session);
    const slowChanged = (await manager.load(session.token))!;
    const slowUnchanged = (await manager.load(session.token))!;
    expect(await manager.destroyAllForUser('u1')).toBe(1); // "log out everywhere" in another tab
    clock.advance(2 * MINUTE); // the unchanged one is now due for a touch
    slowChanged.data = { cart: 2 };
    expect(await manager.save(slowChanged)).toEqual({ status: 'destroyed' });
    expect(await manager.save(slowUnchanged)).toEqual({ status: 'destroyed' });
    expect(await manager.update(session.token, (d) => ({ ...d, cart: 3 }))).toEqual({
      status: 'destroyed',
    });
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
    expect(await manager.listForUser('u1')).toEqual([]);
  });

  it('2,000 increments through update(fn) at 200 in flight end at exactly 2,000', async () => {
    const { manager } = setup<{ n: number }>({ maxRetries: 50 });
    const session = manager.create({ data: { n: 0 } });
    await manager.save(session);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        const result = await manager.update(session.token, (data) => {
          data.n += 1;
        });
        expect(result.status).toBe('saved');
        done++;
      }
    };
    await Promise.all(Array.from({ length: 200 }, worker));
    expect(done).toBe(2000);
    expect((await manager.load(session.token))?.data.n).toBe(2000);
  });

  it('update gives up with CONFLICT after maxRetries + 1 attempts', async () => {
    let losing = false;
    let sets = 0;
    const { manager } = setup<{ n: number }>({ maxRetries: 2, retryDelay: 0 }, (store) =>
      overrideStore(store, {
        set: async (key, record, options) => {
          sets++;
          // Another writer always gets in first: the compare-and-set always fails.
          if (losing)
            throw Object.assign(new Error('[test] conflict'), { code: 'CONFLICT', source: 'test' });
          return store.set(key, record, options);
        },
      }),
    );
    const { token } = await seed(manager);
    losing = true;
    sets = 0;
    await expect(manager.update(token, (d) => ({ n: d.n + 1 }))).rejects.toSatisfy((err) =>
      isSessionError(err, 'CONFLICT'),
    );
    expect(sets).toBe(3);
    expect((await manager.load(token))?.data).toEqual({ n: 0 });
  });

  it('update returns new data or mutates in place, and reports unchanged when fn changes nothing', async () => {
    const { manager } = setup<{ n: number }>();
    const { token } = await seed(manager);
    expect((await manager.update(token, (d) => ({ n: d.n + 5 }))).session?.data).toEqual({ n: 5 });
    const doubled = await manager.update(token, async (d) => {
      d.n *= 2;
    });
    expect(doubled.session?.data).toEqual({ n: 10 });
    expect((await manager.update(token, () => undefined)).status).toBe('unchanged');
    expect((await manager.load(token))?.data).toEqual({ n: 10 });
  });
});

async function seed(manager: ReturnType<typeof setup<{ n: number }>>['manager']) {
  const session = manager.create({ data: { n: 0 } });
  await manager.save(session);
  return session;
}
