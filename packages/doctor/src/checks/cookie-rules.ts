/**
 * The browser's rules for a session cookie, judged against the URL users reach the app at:
 * what makes a browser refuse it (a failure) and what only weakens it (a warning).
 */
import type { CheckResult } from '../types.js';
import { fail, pass, warn } from './result.js';
import { domainMatches, pathMatches, type SetCookie } from './set-cookie.js';

/** The most a browser stores for one cookie's name and value, in bytes. */
export const MAX_COOKIE_BYTES = 4096;

/**
 * Hosts where browsers accept a `Secure` cookie over plain HTTP (they count as secure
 * contexts): fine for development, and nowhere else.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return (
    bare === 'localhost' || bare.endsWith('.localhost') || /^127\./.test(bare) || bare === '::1'
  );
}

/**
 * Why a browser at `url` would refuse this cookie or never send it back to `url`'s path;
 * undefined when it keeps and returns it.
 */
export function whyDropped(cookie: SetCookie, url: URL): string | undefined {
  const https = url.protocol === 'https:';
  const secureOk = https || isLoopbackHost(url.hostname);
  if (cookie.secure && !secureOk) {
    return `it is Secure, and ${url.origin} is plain HTTP: browsers refuse it`;
  }
  if (cookie.name.startsWith('__Host-')) {
    if (!cookie.secure || cookie.path !== '/' || cookie.domain !== undefined) {
      return 'a __Host- cookie must be Secure, with Path=/ and no Domain: browsers refuse it';
    }
  }
  if (cookie.name.startsWith('__Secure-') && !cookie.secure) {
    return 'a __Secure- cookie must be Secure: browsers refuse it';
  }
  if (cookie.sameSite === 'none' && !cookie.secure) {
    return 'SameSite=None without Secure: browsers refuse it';
  }
  if (cookie.domain !== undefined && !domainMatches(url.hostname.toLowerCase(), cookie.domain)) {
    return `its Domain=${cookie.domain} does not cover ${url.hostname}: browsers refuse it`;
  }
  if (new TextEncoder().encode(cookie.pair).length > MAX_COOKIE_BYTES) {
    return `name and value are over ${MAX_COOKIE_BYTES} bytes: browsers drop it`;
  }
  if (cookie.path?.startsWith('/') && !pathMatches(url.pathname, cookie.path)) {
    return `its Path=${cookie.path} does not cover ${url.pathname}: it is not sent back here`;
  }
  return undefined;
}

/** `http.cookie-attributes`: refused (fail), weakened (warn) or sound (pass). */
export function judgeAttributes(cookie: SetCookie, url: URL): CheckResult {
  const id = 'http.cookie-attributes';
  const dropped = whyDropped(cookie, url);
  if (dropped !== undefined) {
    return fail(
      id,
      `${cookie.name}: ${dropped}`,
      cookie.secure && url.protocol === 'http:'
        ? 'serve the site over HTTPS (or, for local development only, turn Secure off)'
        : 'fix the cookie options of the session middleware',
    );
  }
  const risks: string[] = [];
  const fixes: string[] = [];
  if (url.protocol === 'http:') {
    risks.push(
      isLoopbackHost(url.hostname)
        ? `${url.hostname} is plain HTTP (browsers treat it as secure; a deployment must not be)`
        : 'the site is plain HTTP: the session ID travels unencrypted',
    );
    fixes.push('serve over HTTPS');
  } else if (!cookie.secure) {
    risks.push('no Secure: one http:// link sends the session ID in clear');
    fixes.push('set Secure');
  }
  if (!cookie.httpOnly) {
    risks.push('no HttpOnly: any injected script can read the session ID');
    fixes.push('set HttpOnly');
  }
  if (cookie.sameSite === undefined) {
    risks.push('no SameSite (browsers differ on the default)');
    fixes.push('set SameSite=Lax');
  }
  if (risks.length > 0) return warn(id, `${cookie.name}: ${risks.join('; ')}`, fixes.join(', '));
  const size = new TextEncoder().encode(cookie.pair).length;
  return pass(id, `${cookie.name}: Secure, HttpOnly, SameSite=${cookie.sameSite}, ${size} bytes`);
}
