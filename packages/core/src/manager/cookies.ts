/**
 * The session cookie: secure defaults, refusal of settings a browser would reject, and a
 * reader that treats anything unexpected as "no cookie". Serialising and parsing go through the
 * `cookie` package; the rules about prefixes and token shape live here.
 */
import { parse, serialize } from 'cookie';
import { isSessionToken } from './tokens.js';

/**
 * The session cookie's attributes. Defaults: `__Host-sid`, `Secure`, `HttpOnly`,
 * `SameSite=Lax`, `Path=/`, no `Domain`, expiring with the session's absolute deadline.
 * `HttpOnly` is not optional: no script ever needs the session token (ASVS 3.3.4).
 *
 * @example
 * ```ts
 * createSessionManager({ store, cookie: { name: '__Host-app', sameSite: 'strict' } });
 * ```
 */
export interface SessionCookieOptions {
  /**
   * Cookie name (default `__Host-sid`). A `__Host-` name requires `secure`, `path: '/'` and no
   * `domain`; a `__Secure-` name requires `secure`; otherwise construction throws, since
   * browsers would drop the cookie.
   */
  name?: string;
  /** Send only over HTTPS (default `true`). Turn off only for plain-HTTP local development. */
  secure?: boolean;
  /** `SameSite` (default `'lax'`). `'none'` requires `secure`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** `Path` (default `'/'`). */
  path?: string;
  /** `Domain` (default none: the cookie stays on the host that set it). */
  domain?: string;
  /**
   * `true` (default): `Max-Age` and `Expires` point at the session's absolute deadline, so the
   * browser drops the cookie when the server would refuse it anyway, and the cookie needs no
   * re-sending when the session is touched. `false`: a browser-session cookie (no `Max-Age`).
   */
  persistent?: boolean;
}

/** Cookie options after defaults and checks. Internal. */
export interface ResolvedCookieOptions {
  name: string;
  secure: boolean;
  sameSite: 'lax' | 'strict' | 'none';
  path: string;
  domain: string | undefined;
  persistent: boolean;
}

// RFC 6265 cookie-name: an RFC 7230 token.
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Apply defaults and refuse combinations a browser would reject. Throws `TypeError`. */
export function resolveCookieOptions(
  options: SessionCookieOptions | undefined,
  source: string,
): ResolvedCookieOptions {
  const resolved: ResolvedCookieOptions = {
    name: options?.name ?? '__Host-sid',
    secure: options?.secure ?? true,
    sameSite: options?.sameSite ?? 'lax',
    path: options?.path ?? '/',
    domain: options?.domain,
    persistent: options?.persistent ?? true,
  };
  const fail = (why: string): never => {
    throw new TypeError(`[${source}] cookie "${resolved.name}": ${why}`);
  };
  if (!COOKIE_NAME.test(resolved.name)) fail('the name is not a valid cookie name');
  if (!['lax', 'strict', 'none'].includes(resolved.sameSite))
    fail('sameSite must be lax, strict or none');
  // Browsers match cookie prefixes case-insensitively (RFC 6265bis), so `__host-` binds too.
  const lower = resolved.name.toLowerCase();
  if (lower.startsWith('__host-')) {
    if (!resolved.secure) fail('a __Host- cookie must be secure');
    if (resolved.path !== '/') fail('a __Host- cookie must have path "/"');
    if (resolved.domain !== undefined) fail('a __Host- cookie must not have a domain');
  }
  if (lower.startsWith('__secure-') && !resolved.secure) fail('a __Secure- cookie must be secure');
  if (resolved.sameSite === 'none' && !resolved.secure) fail('SameSite=None requires secure');
  // Serialise once now, so a bad path or domain fails at construction, not on a request.
  try {
    serializeClearingCookie(resolved);
  } catch (err) {
    fail((err as Error).message);
  }
  return resolved;
}

/**
 * The `Set-Cookie` value carrying `token`. `deadline` is the session's absolute end (epoch ms);
 * a persistent cookie expires then.
 */
export function serializeSessionCookie(
  options: ResolvedCookieOptions,
  token: string,
  deadline: number,
  now: number,
): string {
  if (!options.persistent) return serialize(options.name, token, attributes(options));
  return serialize(options.name, token, {
    ...attributes(options),
    maxAge: Math.max(0, Math.floor((deadline - now) / 1000)),
    expires: new Date(deadline),
  });
}

/** The `Set-Cookie` value that removes the session cookie: same name and scope, empty, expired. */
export function serializeClearingCookie(options: ResolvedCookieOptions): string {
  return serialize(options.name, '', { ...attributes(options), maxAge: 0, expires: new Date(0) });
}

/**
 * The token in a `Cookie` request header, or `undefined`. A missing or malformed header, a
 * cookie under any other raw name, or a value that is not a well-formed token is a miss, never
 * an error.
 */
export function readSessionToken(
  options: ResolvedCookieOptions,
  header: unknown,
): string | undefined {
  // Names are compared as sent: `cookie` never decodes names, so `__%48ost-sid` (which some
  // servers decode to `__Host-sid`, though the browser enforced no prefix rule on it) stays a
  // different cookie. Values are not decoded either: a token needs no escaping, so an escaped
  // value is not one of ours.
  const value = readRawSessionCookie(options, header);
  return isSessionToken(value) ? value : undefined;
}

/**
 * The raw value of the session cookie in a `Cookie` request header, unchecked, or `undefined`
 * when there is none. For telling a malformed cookie from a missing one: pass it to
 * `loadWithReason`, which refuses anything that is not a token before any I/O.
 */
export function readRawSessionCookie(
  options: ResolvedCookieOptions,
  header: unknown,
): string | undefined {
  if (typeof header !== 'string') return undefined;
  return parse(header, { decode: (raw) => raw })[options.name];
}

function attributes(options: ResolvedCookieOptions) {
  return {
    httpOnly: true,
    secure: options.secure,
    sameSite: options.sameSite,
    path: options.path,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  };
}
