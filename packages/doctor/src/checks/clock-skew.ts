/**
 * Clock skew between this machine and a server that tells its time. The application's clock
 * decides what is live, so skew hides nothing by itself; but a backend's native expiry (Redis
 * PXAT, a MongoDB TTL index) runs on the server's clock, and a server ahead of the app deletes
 * sessions that early.
 */
import type { CheckResult } from '../types.js';
import { describeError, fail, pass, warn } from './result.js';

/** Skew above this is reported (it is also the precision of the dates some servers return). */
export const SKEW_WARN_MS = 1000;
/** Skew above this ends sessions visibly early (or keeps expired data for as long). */
export const SKEW_FAIL_MS = 30_000;

const ID = 'store.clock-skew';

/**
 * Ask the server its time once and compare it to the midpoint of this machine's clock around
 * the request; the round trip's half is the uncertainty.
 */
export async function clockSkew(
  serverTime: () => Promise<number>,
  clock: () => number,
): Promise<CheckResult> {
  let before: number;
  let server: number;
  let after: number;
  try {
    before = clock();
    server = await serverTime();
    after = clock();
  } catch (error) {
    return warn(ID, `the server did not tell its time: ${describeError(error)}`, '');
  }
  const skew = server - (before + after) / 2;
  const uncertainty = (after - before) / 2;
  const shown = `${skew >= 0 ? 'ahead' : 'behind'} by ${Math.abs(skew).toFixed(0)} ms (± ${uncertainty.toFixed(0)} ms)`;
  const fix = 'run NTP (chrony, systemd-timesyncd) on both the app hosts and the server';
  if (Math.abs(skew) - uncertainty > SKEW_FAIL_MS) {
    return fail(
      ID,
      `the server's clock is ${shown}: native expiry removes sessions that far off`,
      fix,
    );
  }
  if (Math.abs(skew) - uncertainty > SKEW_WARN_MS) {
    return warn(ID, `the server's clock is ${shown}`, fix);
  }
  return pass(ID, `the server's clock is ${shown}`);
}
