/** CAS-3: compare-and-set is atomic, so concurrent writers never silently overwrite each other. */
import assert from 'node:assert/strict';
import { isSessionError } from '@sessions/core';
import { type CheckContext, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { inAMinute, show } from './support.js';

const WRITERS = 20;

/**
 * Two stores on the check's namespace, as two app instances would be: every race alternates
 * its writers between them, so a lock held per store instance does not pass for atomicity.
 */
async function twoInstances(ctx: CheckContext) {
  const [first, second] = [await ctx.open(), await ctx.open()];
  return {
    store: first.store,
    instance: (writer: number) => (writer % 2 === 0 ? first.store : second.store),
  };
}

/** Split settled results into the writers that won and the errors of those that lost. */
function tally(results: Array<PromiseSettledResult<{ version: number }>>) {
  const winners: Array<{ writer: number; version: number }> = [];
  const errors: unknown[] = [];
  results.forEach((result, writer) => {
    if (result.status === 'fulfilled') winners.push({ writer, version: result.value.version });
    else errors.push(result.reason);
  });
  return { winners, errors };
}

function expectAllConflicts(errors: unknown[]): void {
  for (const err of errors) {
    assert.ok(
      isSessionError(err, 'CONFLICT'),
      `a losing writer should get CONFLICT, got ${show(err)}`,
    );
  }
}

/** The CAS-3 checks: racing writers. */
export const casRaceChecks = defineChecks('cas-race', [
  {
    name: 'one-winner-on-version',
    rule: 'CAS-3',
    title: `${WRITERS} writers on two store instances racing with the same ifVersion: exactly one wins, the others get CONFLICT`,
    async run(ctx) {
      const { store, instance } = await twoInstances(ctx);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { writer: -1 }, expiresAt });
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, writer) =>
          instance(writer).set(
            key,
            { data: { writer, payload: 'x'.repeat(writer * 10) }, expiresAt },
            { ifVersion: 1 },
          ),
        ),
      );
      const { winners, errors } = tally(results);
      // Errors first: a store that fails for another reason should say so, not "0 won".
      expectAllConflicts(errors);
      assert.equal(winners.length, 1, `exactly one writer should win, ${winners.length} did`);
      const [winner] = winners;
      assert.equal(winner?.version, 2);
      const stored = await store.get(key);
      assert.deepEqual(stored?.data, {
        writer: winner?.writer,
        payload: 'x'.repeat((winner?.writer ?? 0) * 10),
      });
      assert.equal(stored?.version, 2);
    },
  },
  {
    name: 'one-winner-on-create',
    rule: 'CAS-3',
    title: `${WRITERS} writers on two store instances racing to create with ifVersion 0: exactly one wins`,
    async run(ctx) {
      const { store, instance } = await twoInstances(ctx);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, writer) =>
          instance(writer).set(
            key,
            { data: { writer }, expiresAt, userId: `user${writer}` },
            { ifVersion: 0 },
          ),
        ),
      );
      const { winners, errors } = tally(results);
      // Errors first: a store that fails for another reason should say so, not "0 won".
      expectAllConflicts(errors);
      assert.equal(winners.length, 1, `exactly one writer should win, ${winners.length} did`);
      const writer = winners[0]?.writer;
      assert.deepEqual(await store.get(key), {
        data: { writer },
        expiresAt,
        userId: `user${writer}`,
        version: 1,
      });
    },
  },
  {
    name: 'concurrent-writes-distinct-versions',
    rule: 'CAS-3',
    title: `${WRITERS} unconditional writers on two store instances racing all succeed, each with its own version`,
    async run(ctx) {
      const { store, instance } = await twoInstances(ctx);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          instance(writer).set(key, { data: { writer }, expiresAt }),
        ),
      );
      const versions = results.map((r) => r.version).sort((a, b) => a - b);
      assert.deepEqual(
        versions,
        Array.from({ length: WRITERS }, (_, i) => i + 1),
        'versions 1..20, each once',
      );
      const stored = await store.get(key);
      assert.equal(stored?.version, WRITERS);
      const last = results.findIndex((r) => r.version === WRITERS);
      assert.deepEqual(
        stored?.data,
        { writer: last },
        'the stored data is the write that got the last version',
      );
    },
  },
  {
    name: 'chained-updates-lose-nothing',
    rule: 'CAS-3',
    title:
      'read-modify-write loops on two store instances, with ifVersion and retry on CONFLICT, lose no increment',
    async run(ctx) {
      const { store, instance } = await twoInstances(ctx);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { count: 0 }, expiresAt });
      const increment = async (writer: number) => {
        const store = instance(writer);
        for (let attempt = 0; attempt < 100; attempt++) {
          const current = await store.get(key);
          assert.ok(current, 'the counter record vanished');
          const count = (current.data as { count: number }).count;
          try {
            await store.set(
              key,
              { data: { count: count + 1 }, expiresAt },
              { ifVersion: current.version },
            );
            return;
          } catch (err) {
            if (!isSessionError(err, 'CONFLICT')) throw err;
          }
        }
        assert.fail('an increment did not get through in 100 attempts');
      };
      await Promise.all(Array.from({ length: 10 }, (_, writer) => increment(writer)));
      assert.deepEqual((await store.get(key))?.data, { count: 10 });
    },
  },
  {
    name: 'touch-racing-set-loses-nothing',
    rule: 'CAS-3',
    title:
      'a touch racing a set on another store instance never undoes the set: its data and version stand',
    async run(ctx) {
      const { store, instance } = await twoInstances(ctx);
      const key = randomKey();
      const expiresAt = inAMinute(ctx);
      await store.set(key, { data: { round: -1 }, expiresAt });
      for (let round = 0; round < 25; round++) {
        const [{ version }] = await Promise.all([
          instance(0).set(key, { data: { round }, expiresAt }),
          instance(1).touch(key, expiresAt + round + 1),
        ]);
        const stored = await store.get(key);
        assert.deepEqual(
          stored?.data,
          { round },
          `round ${round}: the set's data was lost to a concurrent touch`,
        );
        assert.equal(stored?.version, version, `round ${round}: the set's version was lost`);
      }
    },
  },
]);
