// "Log out everywhere" and its revocation mark: what it costs, what it spares, and how it fails.
// The race itself is proved on every store by the conformance check
// manager/destroy-all-races-regenerate.
import { describe, expect, it } from 'vitest';
import type { SessionManager } from '../../src/index.js';
import { revocationMarkKey } from '../../src/manager/revocation-mark.js';
import { countingStore, MINUTE, setup } from './helpers.js';

type Manager = SessionManager<{ n?: number }>;

async function loggedIn(manager: Manager, userId: string) {
  const session = manager.create({ data: {}, userId });
  await manager.save(session);
  return session;
}

// Miss-reason tombstones off: these counts are the mark's own (miss-reasons.test.ts counts those).
function counted() {
  let counter: ReturnType<typeof countingStore> | undefined;
  const harness = setup({ missReasons: false }, (inner) => {
    counter = countingStore(inner);
    return counter.store;
  });
  const calls = () => Object.fromEntries(counter?.calls ?? []);
  const reset = () => counter?.calls.clear();
  return { ...harness, calls, reset };
}

describe('the revocation mark', () => {
  it('costs a load nothing: a hit is one get, with or without a mark', async () => {
    const { manager, clock, calls, reset } = counted();
    const session = await loggedIn(manager, 'u1');
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1', { except: session });
    reset();
    expect(await manager.load(session.token)).toBeDefined();
    expect(calls()).toEqual({ get: 1 });
  });

  it('costs "log out everywhere" one get and one set, and a regenerate of a logged-in session one get', async () => {
    const { manager, clock, calls, reset } = counted();
    const session = await loggedIn(manager, 'u1');
    const anonymous = manager.create({ data: {} });
    await manager.save(anonymous);
    reset();
    const next = await manager.regenerate(session);
    expect(next).toBeDefined();
    expect(calls()).toEqual({ delete: 1, set: 1, get: 1 });
    reset();
    await manager.regenerate(anonymous, { userId: 'u2' });
    expect(calls()).toEqual({ delete: 1, set: 1 }); // an anonymous session answers to no mark
    clock.advance(MINUTE);
    reset();
    await manager.destroyAllForUser('u1');
    expect(calls()).toEqual({ get: 1, set: 1, deleteByUser: 1 });
  });

  it('is not a session: never listed, counted or deleted as one of the user’s', async () => {
    const { manager, store, clock } = setup();
    const kept = await loggedIn(manager, 'u1');
    await loggedIn(manager, 'u1');
    clock.advance(MINUTE);
    expect(await manager.destroyAllForUser('u1', { except: kept })).toBe(1);
    expect(await store.get(revocationMarkKey('u1'))).toBeDefined();
    expect((await store.listByUser('u1')).map((e) => e.key)).toEqual([kept.handle]);
    expect(await manager.listForUser('u1')).toHaveLength(1);
    expect(await manager.destroyAllForUser('u1')).toBe(1);
  });

  it('spares the kept session through any number of regenerates, and nothing older', async () => {
    const { manager, clock } = setup();
    let kept = await loggedIn(manager, 'u1');
    const straggler = manager.create({ data: {}, userId: 'u1' }); // begun before, stored after
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1', { except: kept });
    await manager.save(straggler);
    for (let i = 0; i < 3; i++) {
      const next = await manager.regenerate(kept);
      expect(next).toBeDefined();
      kept = next as typeof kept;
    }
    expect(await manager.load(kept.token)).toBeDefined();
    expect(await manager.regenerate(straggler)).toBeUndefined();
    expect(await manager.load(straggler.token)).toBeUndefined();
    // A second "log out everywhere else" from the kept session keeps sparing it.
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1', { except: kept });
    expect(await manager.regenerate(kept)).toBeDefined();
  });

  it('never stops a fresh login, nor a session begun after it', async () => {
    const { manager, clock } = setup();
    await loggedIn(manager, 'u1');
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1');
    // In the same millisecond: a login from an anonymous session is a new authentication.
    const anonymous = manager.create({ data: {} });
    await manager.save(anonymous);
    const fresh = await manager.regenerate(anonymous, { userId: 'u1' });
    expect(fresh).toBeDefined();
    expect(await manager.load(fresh?.token)).toBeDefined();
    clock.advance(1);
    const later = await loggedIn(manager, 'u1');
    expect(await manager.regenerate(later)).toBeDefined();
  });

  it('fails closed on a mark that does not decode: the successor goes, and the next logout repairs it', async () => {
    const { manager, store, clock } = setup();
    const session = await loggedIn(manager, 'u1');
    await store.set(revocationMarkKey('u1'), {
      data: { validAfter: 'soon' },
      expiresAt: clock.now + MINUTE,
    });
    expect(await manager.regenerate(session)).toBeUndefined();
    const again = await loggedIn(manager, 'u1');
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1', { except: again });
    expect(await manager.regenerate(again)).toBeDefined();
  });

  it('expires with the last session it could concern', async () => {
    const { manager, store, clock } = setup({
      absoluteTimeout: 3 * MINUTE,
      idleTimeout: 2 * MINUTE,
    });
    await loggedIn(manager, 'u1');
    await manager.destroyAllForUser('u1');
    expect((await store.get(revocationMarkKey('u1')))?.expiresAt).toBe(clock.now + 3 * MINUTE);
  });
});
