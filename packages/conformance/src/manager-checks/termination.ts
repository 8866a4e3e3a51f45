/**
 * Ending sessions: destroy, logout while a request is in flight, "log out everywhere", revoke.
 * None of them may be undone by a write that was already on its way.
 */
import assert from 'node:assert/strict';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, MINUTE, withManager } from './harness.js';

/** The termination checks. */
export function terminationChecks(options: ManagerCheckOptions): Check[] {
  return defineChecks('manager', [
    {
      name: 'destroy-then-stale-save',
      rule: 'MANAGER-3',
      title: 'after destroy, a stale save of the same session reports destroyed and stores nothing',
      run: (context) =>
        withManager<{ n: number }>(context, options, {}, async ({ manager, store, keyOf }) => {
          const session = manager.create({ data: { n: 0 } });
          await manager.save(session);
          const stale = await manager.load(session.token);
          assert.ok(stale);
          assert.equal(await manager.destroy(session.token), true);
          stale.data.n = 1;
          assert.deepEqual(await manager.save(stale), { status: 'destroyed' });
          assert.deepEqual(await manager.save(stale), { status: 'destroyed' });
          assert.equal(await manager.load(session.token), undefined);
          assert.equal(await store.get(keyOf(session.token)), undefined);
        }),
    },
    {
      name: 'slow-request-after-logout',
      rule: 'MANAGER-3',
      title: 'a request that loaded before logout and saves after does not restore the session',
      run: (context) =>
        withManager<{ cart: number }>(context, options, { touchAfter: MINUTE }, async (h) => {
          const { manager, store, clock, keyOf } = h;
          const session = manager.create({ data: { cart: 1 }, userId: 'slow-user' });
          await manager.save(session);
          const changed = await manager.load(session.token);
          const unchanged = await manager.load(session.token);
          assert.ok(changed && unchanged);
          await h.settled(async () =>
            assert.equal((await manager.listForUser('slow-user')).length, 1),
          );
          assert.equal(
            await manager.destroyAllForUser('slow-user'),
            1,
            '"log out everywhere" must remove it',
          );
          clock.advance(2 * MINUTE); // the unchanged request is now due for a touch
          changed.data.cart = 2;
          assert.deepEqual(await manager.save(changed), { status: 'destroyed' });
          assert.deepEqual(await manager.save(unchanged), { status: 'destroyed' });
          assert.deepEqual(await manager.update(session.token, () => ({ cart: 3 })), {
            status: 'destroyed',
          });
          assert.equal(await manager.load(session.token), undefined);
          assert.equal(await store.get(keyOf(session.token)), undefined);
        }),
    },
    {
      name: 'save-race-conflict',
      rule: 'MANAGER-4',
      title: 'two saves of changes on one loaded version: one wins, the other throws CONFLICT',
      run: (context) =>
        withManager<{ n: number }>(context, options, {}, async ({ manager }) => {
          const created = manager.create({ data: { n: 0 } });
          await manager.save(created);
          const [a, b] = [await manager.load(created.token), await manager.load(created.token)];
          assert.ok(a && b);
          a.data.n = 1;
          b.data.n = 2;
          assert.deepEqual(await manager.save(a), { status: 'saved' });
          await assert.rejects(
            manager.save(b),
            (err: { code?: string }) => err.code === 'CONFLICT',
          );
          assert.deepEqual(
            (await manager.load(created.token))?.data,
            { n: 1 },
            'the winner must stay',
          );
        }),
    },
    {
      name: 'destroy-all-except',
      rule: 'MANAGER-5',
      title:
        "destroyAllForUser with except leaves only the current session of that user, and every other user's",
      run: (context) =>
        withManager<{ device: string }>(context, options, {}, async (h) => {
          const { manager } = h;
          const open = async (userId: string, device: string) => {
            const session = manager.create({ data: { device }, userId });
            await manager.save(session);
            return session;
          };
          const current = await open('user-a', 'laptop');
          const others = [await open('user-a', 'phone'), await open('user-a', 'tablet')];
          const strangers = [await open('user-b', 'laptop'), await open('user-b', 'phone')];
          await h.settled(async () =>
            assert.equal((await manager.listForUser('user-a')).length, 3),
          );
          assert.equal(await manager.destroyAllForUser('user-a', { except: current }), 2);
          assert.ok(await manager.load(current.token), 'the current session must survive');
          for (const s of others)
            assert.equal(await manager.load(s.token), undefined, 'the others must be gone');
          for (const s of strangers)
            assert.ok(await manager.load(s.token), "another user's sessions stay");
          await h.settled(async () => {
            const listed = await manager.listForUser('user-a');
            assert.deepEqual(
              listed.map((d) => d.handle),
              [current.handle],
            );
          });
        }),
    },
    {
      name: 'list-and-revoke',
      rule: 'MANAGER-5',
      title: 'listForUser shows handles, never tokens; revoke ends only a session of that user',
      run: (context) =>
        withManager<object>(context, options, {}, async (h) => {
          const { manager } = h;
          const mine = manager.create({ data: {}, userId: 'user-a', meta: { device: 'laptop' } });
          const theirs = manager.create({ data: {}, userId: 'user-b' });
          await manager.save(mine);
          await manager.save(theirs);
          await h.settled(async () => {
            const listed = await manager.listForUser('user-a', { current: mine });
            assert.deepEqual(
              listed.map(({ handle, meta, current }) => ({ handle, meta, current })),
              [{ handle: mine.handle, meta: { device: 'laptop' }, current: true }],
            );
            assert.ok(
              !JSON.stringify(listed).includes(mine.token),
              'a listing must not hold a token',
            );
          });
          assert.equal(
            await manager.revoke('user-a', theirs.handle),
            false,
            "another user's handle is refused",
          );
          assert.ok(await manager.load(theirs.token));
          assert.equal(await manager.revoke('user-a', mine.handle), true);
          assert.equal(await manager.load(mine.token), undefined);
        }),
    },
  ]);
}
