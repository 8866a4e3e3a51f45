/**
 * The timeout arithmetic, in one place. A session ends at whichever comes first: idle timeout
 * after it was last seen, or absolute timeout after it was created. `createdAt` never moves,
 * so no amount of activity outlives the absolute limit.
 */

/** The two limits, in ms. */
export interface Timeouts {
  idleTimeout: number;
  absoluteTimeout: number;
}

/** The moment a session ends no matter what: `createdAt + absoluteTimeout`. */
export function absoluteDeadline(t: Timeouts, createdAt: number): number {
  return createdAt + t.absoluteTimeout;
}

/** The stored expiry: `min(lastSeenAt + idleTimeout, createdAt + absoluteTimeout)`. */
export function expiresAtFor(t: Timeouts, createdAt: number, lastSeenAt: number): number {
  return Math.min(lastSeenAt + t.idleTimeout, absoluteDeadline(t, createdAt));
}

/**
 * Whether a session with these timestamps is still usable at `now`, judged by the manager's
 * own settings rather than the stored `expiresAt` alone: a record written under longer
 * timeouts (before a configuration change, or by another app) is still cut off here.
 */
export function isWithinTimeouts(
  t: Timeouts,
  createdAt: number,
  lastSeenAt: number,
  now: number,
): boolean {
  return now < expiresAtFor(t, createdAt, lastSeenAt);
}

/** Whether an unchanged session is due for a write that moves `lastSeenAt` and its expiry. */
export function isTouchDue(touchAfter: number, lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt > touchAfter;
}
