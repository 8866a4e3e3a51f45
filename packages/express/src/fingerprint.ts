/** What tells whether a session's data changed during a request. */

/**
 * The session's data as text, without its cookie: what express-session compares to decide
 * whether a session changed (its `hash`), so both agree on "modified". `undefined` when the
 * session cannot be written as JSON (a `BigInt`, a cycle), on which express-session's own
 * hashing would throw.
 */
export function sessionFingerprint(session: object): string | undefined {
  try {
    return JSON.stringify(session, function withoutCookie(this: unknown, key, value: unknown) {
      return this === session && key === 'cookie' ? undefined : value;
    });
  } catch {
    return undefined;
  }
}
