/** `regenerate`: a new token for the same data, and the old token dead everywhere. */
import assert from 'node:assert/strict';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, withManager } from './harness.js';

/** The regenerate check. */
export function rotationChecks(options: ManagerCheckOptions): Check[] {
  return defineChecks('manager', [
    {
      name: 'regenerate',
      rule: 'MANAGER-2',
      title: 'regenerate moves the data to a new token and leaves the old token dead',
      run: (context) =>
        withManager<{ cart: string[] }>(context, options, {}, async ({ manager, store, keyOf }) => {
          const before = manager.create({ data: { cart: ['book'] } });
          await manager.save(before);
          const stale = await manager.load(before.token);
          assert.ok(stale, 'the session must load before regenerate');
          const after = await manager.regenerate(before, { userId: 'user-1' });
          assert.ok(after, 'regenerate of a live session must return the new session');
          assert.notEqual(after.token, before.token);
          assert.equal(await manager.load(before.token), undefined, 'the old token must be dead');
          assert.equal(await store.get(keyOf(before.token)), undefined);
          const loaded = await manager.load(after.token);
          assert.deepEqual(loaded?.data, { cart: ['book'] });
          assert.equal(loaded?.userId, 'user-1');
          // A request still holding the old session cannot write it back.
          stale.data.cart.push('pen');
          assert.deepEqual(await manager.save(stale), { status: 'destroyed' });
          assert.equal(
            await manager.load(before.token),
            undefined,
            'a stale save must not revive the old token',
          );
          assert.equal(await store.get(keyOf(before.token)), undefined);
        }),
    },
  ]);
}
