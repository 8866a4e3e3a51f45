/** Idle and absolute timeouts, enforced on the store's own clock and the manager's. */
import assert from 'node:assert/strict';
import { type Check, defineChecks } from '../check.js';
import { HOUR, type ManagerCheckOptions, MINUTE, withManager } from './harness.js';

const LIMITS = { idleTimeout: 30 * MINUTE, absoluteTimeout: 2 * HOUR, touchAfter: MINUTE };

/** The timeout checks. */
export function timeoutChecks(options: ManagerCheckOptions): Check[] {
  return defineChecks('manager', [
    {
      name: 'idle-timeout',
      rule: 'MANAGER-6',
      title: 'a session unused for the idle timeout is gone; a due touch moves the deadline',
      run: (context) =>
        withManager<object>(context, options, LIMITS, async ({ manager, store, clock, keyOf }) => {
          const session = manager.create({ data: {} });
          await manager.save(session);
          const key = keyOf(session.token);
          clock.advance(LIMITS.touchAfter);
          const early = await manager.load(session.token);
          assert.ok(early);
          assert.deepEqual(
            await manager.save(early),
            { status: 'unchanged' },
            'no write within touchAfter',
          );
          assert.equal((await store.get(key))?.version, 1);
          clock.advance(LIMITS.idleTimeout - LIMITS.touchAfter - 1);
          const late = await manager.load(session.token);
          assert.ok(late, 'alive 1 ms before the idle timeout');
          assert.deepEqual(await manager.save(late), { status: 'saved' }, 'a due touch is written');
          clock.advance(LIMITS.idleTimeout - 1);
          assert.ok(await manager.load(session.token), 'the touch moved the idle deadline');
          clock.advance(1);
          assert.equal(
            await manager.load(session.token),
            undefined,
            'dead at lastSeenAt + idleTimeout',
          );
          assert.equal(await store.get(key), undefined);
        }),
    },
    {
      name: 'absolute-timeout',
      rule: 'MANAGER-6',
      title: 'touching a session forever still ends it at createdAt + absoluteTimeout',
      run: (context) =>
        withManager<object>(context, options, LIMITS, async ({ manager, store, clock, keyOf }) => {
          const session = manager.create({ data: {} });
          await manager.save(session);
          const deadline = session.createdAt + LIMITS.absoluteTimeout;
          while (clock.now() + 20 * MINUTE < deadline) {
            clock.advance(20 * MINUTE);
            const loaded = await manager.load(session.token);
            assert.ok(loaded, 'an active session must stay alive before the absolute limit');
            assert.deepEqual(await manager.save(loaded), { status: 'saved' });
            assert.ok(loaded.expiresAt <= deadline, 'no expiry past the absolute limit');
            assert.equal(loaded.createdAt, session.createdAt, 'createdAt never moves');
          }
          clock.set(deadline - 1);
          assert.ok(await manager.load(session.token), 'alive 1 ms before the absolute limit');
          clock.set(deadline);
          assert.equal(await manager.load(session.token), undefined, 'dead at the absolute limit');
          assert.equal(await store.get(keyOf(session.token)), undefined);
        }),
    },
  ]);
}
