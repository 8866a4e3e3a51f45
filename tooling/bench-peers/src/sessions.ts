/**
 * What the benchmark stores: session IDs as the frameworks generate them, and session data
 * with the cookie the frameworks keep in it, so every row moves the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { makePayload } from '@sessions/bench';

/** The session cookie's lifetime: 30 minutes, a common rolling idle timeout. */
export const MAX_AGE = 30 * 60_000;

/** The cookie options both frameworks are given. */
export const COOKIE_OPTIONS = {
  maxAge: MAX_AGE,
  httpOnly: true,
  secure: true,
  sameSite: 'lax',
  path: '/',
} as const;

/** A session ID as express-session makes it (24 random bytes, base64url: 32 characters). */
export function newSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/** `n` fresh session IDs. */
export function sessionIds(n: number): string[] {
  return Array.from({ length: n }, newSessionId);
}

/** The application part of every session: about 1 KiB of JSON (user, cart, CSRF token...). */
export const APP_DATA: Record<string, unknown> = makePayload(1024);

/**
 * The data the raw and direct rows store: the application data plus the cookie as the
 * frameworks serialize it, so they move the same bytes as the framework rows.
 */
export function sessionData(expiresAt: number): Record<string, unknown> {
  return {
    cookie: {
      originalMaxAge: MAX_AGE,
      expires: new Date(expiresAt).toISOString(),
      secure: true,
      httpOnly: true,
      path: '/',
      sameSite: 'lax',
    },
    ...APP_DATA,
  };
}

/**
 * The data of every raw and direct write, built once: building it per write would charge
 * those rows for work the frameworks do in their own rows (the cookie's `expires` string is
 * the one of the first write; the record's expiry is computed per write).
 */
export const SESSION_DATA: Record<string, unknown> = sessionData(Date.now() + MAX_AGE);

/** The expiry a request gives its session now. */
export function expiryFromNow(): number {
  return Date.now() + MAX_AGE;
}
