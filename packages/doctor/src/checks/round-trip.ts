/**
 * The check every backend shares: write, read back and delete one record through the store the
 * app uses, with the latency of each step.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@sessions/core';
import type { CheckResult } from '../types.js';
import { describeError, fail, pass, warn } from './result.js';

/** One step slower than this is worth a warning: a request pays it on every session load. */
export const SLOW_STEP_MS = 250;

const ID = 'store.round-trip';

/**
 * Set, get and delete a throwaway record (a random key, one minute of life, so a doctor killed
 * half-way leaves nothing that lasts). Fails when any step throws or the read does not return
 * what was written; warns when a step takes {@link SLOW_STEP_MS} or more.
 */
export async function roundTrip(store: SessionStore, clock: () => number): Promise<CheckResult> {
  const key = `doctor-${randomBytes(12).toString('hex')}`;
  const marker = randomBytes(8).toString('hex');
  const timings: Array<[string, number]> = [];
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await run();
    timings.push([step, performance.now() - started]);
    return value;
  };
  try {
    await timed('set', () => store.set(key, { data: { marker }, expiresAt: clock() + 60_000 }));
    const read = await timed('get', () => store.get(key));
    const deleted = await timed('delete', () => store.delete(key));
    const shown = timings.map(([step, ms]) => `${step} ${ms.toFixed(1)} ms`).join(', ');
    if ((read?.data as { marker?: string } | undefined)?.marker !== marker) {
      return fail(
        ID,
        `a record written was not read back (${shown})`,
        "check the store's clock and that no other process clears this namespace",
      );
    }
    if (!deleted) {
      return fail(ID, `a record written could not be deleted (${shown})`, 'check the store');
    }
    const slow = timings.filter(([, ms]) => ms >= SLOW_STEP_MS);
    if (slow.length > 0) {
      return warn(
        ID,
        `write/read/delete worked but slowly (${shown})`,
        'move the store closer to the app, or check its load: every request pays a read',
      );
    }
    return pass(ID, `write/read/delete in ${shown}`);
  } catch (error) {
    await store.delete(key).catch(() => false);
    const step = ['set', 'get', 'delete'][timings.length];
    return fail(
      ID,
      `${step} failed: ${describeError(error)}`,
      'fix the failures above (table, index, permissions, reachability) and rerun',
    );
  }
}

/**
 * {@link roundTrip} through a store the doctor opened for it, closed afterwards. Each check
 * builds that store on a connection the check owns, so closing the store leaves it open.
 */
export async function roundTripThrough(
  store: SessionStore,
  clock: () => number,
): Promise<CheckResult> {
  try {
    return await roundTrip(store, clock);
  } finally {
    await store.close();
  }
}
