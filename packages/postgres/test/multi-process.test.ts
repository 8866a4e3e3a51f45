// Four processes race compare-and-set writes on one version of one session, round after round
// (each round started for all of them at once): in every round exactly one of them wins, and
// the stored version counts the winners.
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, test } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { type FixtureMessage, forkFixture } from './support/fork.js';

const url = inject('postgresUrl');
const RACERS = 4;
const ROUNDS = 100;

interface RacerReport extends FixtureMessage {
  won: number[];
  errors: string[];
}

describe.skipIf(!url)('several processes on one server', () => {
  test(`${RACERS} processes x ${ROUNDS} rounds on one version: exactly one wins each round`, async () => {
    const namespace = `mp${randomBytes(6).toString('hex')}`;
    const store = new PostgresStore<{ round: number; id: string }>({ url, namespace });
    try {
      await store.set('raced', {
        data: { round: 0, id: 'start' },
        expiresAt: Date.now() + 3_600_000,
      });
      const racers = Array.from({ length: RACERS }, (_, i) =>
        forkFixture('cas-racer.mjs', [url as string, namespace, 'raced', `r${i}`]),
      );
      await Promise.all(racers.map((r) => r.next('ready')));
      // Round by round: all racers start together, and the next round waits for all of them.
      for (let round = 1; round <= ROUNDS; round++) {
        for (const r of racers) r.child.send('go');
        await Promise.all(racers.map((r) => r.next('attempted')));
      }
      for (const r of racers) r.child.send('end');
      const reports = (await Promise.all(racers.map((r) => r.next('done')))) as RacerReport[];

      expect(reports.flatMap((r) => r.errors)).toEqual([]);
      const wins = reports.flatMap((r) => r.won).sort((a, b) => a - b);
      // Every round has one winner, and none has two.
      expect(wins).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
      const final = await store.get('raced');
      expect(final?.version).toBe(ROUNDS + 1);
      expect(final?.data.round).toBe(ROUNDS);
      // The races were real: more than one process won some rounds.
      expect(reports.filter((r) => r.won.length > 0).length).toBeGreaterThan(1);
    } finally {
      await store.clear();
      await store.close();
    }
  }, 120_000);
});
