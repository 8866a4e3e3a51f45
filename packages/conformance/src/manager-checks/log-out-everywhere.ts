/**
 * "Log out everywhere" is atomic: a regenerate (a privilege change) or a login regenerating the
 * user's own session, racing `destroyAllForUser`, never leaves a session of that user alive;
 * and the session "log out everywhere else" spared keeps working through its regenerates.
 */
import assert from 'node:assert/strict';
import type { Session } from '@sessions/core';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, withManager } from './harness.js';
import { withLatency } from './latency.js';

/** How many races run at once. */
const RACES_IN_FLIGHT = 25;

interface Round {
  userId: string;
  /** The session that regenerates. */
  rotating: Session<{ round: number }>;
  /** The device that logs out everywhere. */
  other: Session<{ round: number }>;
  /** A login (userId given, lifetime restarted) rather than a privilege change. */
  login: boolean;
}

/** The "log out everywhere" checks; the race's size comes from the options. */
export function logOutEverywhereChecks(options: ManagerCheckOptions): Check[] {
  const rounds = options.raceRounds ?? 200;
  const latency = options.raceLatencyMs ?? 2;
  return defineChecks('manager', [
    {
      name: 'destroy-all-races-regenerate',
      rule: 'MANAGER-5',
      // Every round is a few round trips behind a delay: seconds on a slow backend.
      timeoutMs: 120_000,
      title: `${rounds} races of destroyAllForUser against regenerate or login (store calls delayed up to ${latency} ms) leave no session of the user alive`,
      run: (context) =>
        withManager<{ round: number }>(context, options, {}, async (h) => {
          const racing = h.managerOver(withLatency(h.store, latency));
          const all: Round[] = [];
          for (let round = 0; round < rounds; round++) {
            const userId = `racer-${round}`;
            const rotating = racing.create({ data: { round }, userId });
            const other = racing.create({ data: { round }, userId });
            all.push({ userId, rotating, other, login: round % 2 === 1 });
          }
          await Promise.all(
            all.map(async (r) => {
              await racing.save(r.rotating);
              await racing.save(r.other);
            }),
          );
          // The sessions began well before the logout, not in the same millisecond.
          h.clock.advance(1000);
          const survivors: string[] = [];
          for (let start = 0; start < all.length; start += RACES_IN_FLIGHT) {
            const batch = all.slice(start, start + RACES_IN_FLIGHT);
            const successors = await Promise.all(
              batch.map(async (r) => {
                const [successor] = await Promise.all([
                  racing.regenerate(r.rotating, r.login ? { userId: r.userId } : {}),
                  racing.destroyAllForUser(r.userId),
                ]);
                return successor;
              }),
            );
            for (const [i, successor] of successors.entries()) {
              if (successor !== undefined && (await h.manager.load(successor.token))) {
                survivors.push(batch[i]?.login ? 'login' : 'regenerate');
              }
            }
          }
          assert.deepEqual(
            survivors,
            [],
            `${survivors.length} of ${rounds} sessions regenerated while "log out everywhere" ran survived it`,
          );
          for (const r of all) {
            assert.equal(await h.manager.load(r.rotating.token), undefined);
            assert.equal(await h.manager.load(r.other.token), undefined);
          }
          await h.settled(async () => {
            for (const r of all) assert.deepEqual(await h.manager.listForUser(r.userId), []);
          });
        }),
    },
    {
      name: 'destroy-all-except-then-regenerate',
      rule: 'MANAGER-5',
      title:
        'after "log out everywhere else", the kept session regenerates again and again; a session the logout missed does not',
      run: (context) =>
        withManager<{ device: string }>(context, options, {}, async (h) => {
          const { manager, clock } = h;
          const current = manager.create({ data: { device: 'laptop' }, userId: 'user-a' });
          const other = manager.create({ data: { device: 'phone' }, userId: 'user-a' });
          // Begun before the logout, stored only after it (as a request in flight would):
          // "log out everywhere" cannot see it, but nothing may grow from it.
          const straggler = manager.create({ data: { device: 'tablet' }, userId: 'user-a' });
          await manager.save(current);
          await manager.save(other);
          await h.settled(async () =>
            assert.equal((await manager.listForUser('user-a')).length, 2),
          );
          clock.advance(1000);
          assert.equal(await manager.destroyAllForUser('user-a', { except: current }), 1);
          await manager.save(straggler);
          let kept = current;
          for (const userId of [undefined, undefined, 'user-a']) {
            const next = await manager.regenerate(kept, userId === undefined ? {} : { userId });
            assert.ok(next, 'the kept session must regenerate');
            assert.ok(await manager.load(next.token), 'its successor must be live');
            assert.equal(await manager.load(kept.token), undefined, 'its old token must be dead');
            kept = next;
            clock.advance(1000);
          }
          assert.equal(
            await manager.regenerate(straggler),
            undefined,
            'a session begun before "log out everywhere" must not regenerate',
          );
          assert.equal(await manager.load(other.token), undefined);
          await h.settled(async () =>
            assert.deepEqual(
              (await manager.listForUser('user-a')).map((d) => d.handle),
              [kept.handle],
              'only the kept session is listed (the revocation mark is not a session)',
            ),
          );
        }),
    },
  ]);
}
