/** At most so many sessions per user: the oldest give way to a new login. */
import { activeSessions, revokeSession, type SessionCarrier } from '@sessions/hono';

/** How many sessions one user may have at once, unless the app says otherwise. */
export const DEFAULT_MAX_SESSIONS_PER_USER = 10;

/**
 * After a login, revoke the user's oldest sessions (by when each started) beyond `max`,
 * never the one making the request. Without a cap, anyone who knows a username could log in
 * as it in a loop and fill the store with its sessions, and its "active sessions" page with
 * thousands of rows. Resolves to how many sessions were revoked.
 *
 * Two logins racing may both revoke the same oldest session and leave one over the cap until
 * the next login: the cap bounds growth, it is not a lock.
 *
 * @example
 * ```ts
 * await login(c, username);
 * await revokeOldestBeyond(c, 10);
 * ```
 */
export async function revokeOldestBeyond<D>(c: SessionCarrier<D>, max: number): Promise<number> {
  const sessions = await activeSessions(c);
  const excess = sessions.length - max;
  if (excess <= 0) return 0;
  const oldestFirst = sessions
    .filter((s) => !s.current)
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, excess);
  let revoked = 0;
  for (const session of oldestFirst) {
    if (await revokeSession(c, session.handle)) revoked++;
  }
  return revoked;
}
