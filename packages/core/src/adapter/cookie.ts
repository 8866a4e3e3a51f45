/**
 * The session cookie as stored data: written as the framework's own `toJSON` says, read back
 * with its expiry taken from the record, and checked, so that nothing a tampered record holds
 * can make a framework's Cookie or Session constructor (or its cookie serializer) throw.
 */

/** A cookie as plain data, the way express-session and @fastify/session write it. */
export type CookieJson = Record<string, unknown>;

/**
 * The cookie as plain JSON data: what its `toJSON` returns (express-session's and
 * @fastify/session's Cookie keep `expires` behind a getter; both build a fresh plain object,
 * used as it is), else a copy of its own string keys; `undefined` when there is no cookie
 * object.
 *
 * @example
 * ```ts
 * cookieJson(req.session.cookie); // { originalMaxAge: 1800000, expires: Date, path: '/', ... }
 * ```
 */
export function cookieJson(cookie: unknown): CookieJson | undefined {
  if (cookie === null || typeof cookie !== 'object') return undefined;
  const toJSON = (cookie as { toJSON?: unknown }).toJSON;
  const json: unknown = typeof toJSON === 'function' ? toJSON.call(cookie) : cookie;
  if (json === null || typeof json !== 'object') return undefined;
  // A plain object toJSON made is already what the codec gets (it drops symbols itself, and
  // nothing here mutates it). Anything else, the framework's own cookie object included, is
  // copied: own string keys only, so a symbol never reaches the codec.
  if (json !== cookie && Object.getPrototypeOf(json) === Object.prototype) {
    return json as CookieJson;
  }
  const copy: CookieJson = {};
  for (const field of Object.keys(json)) copy[field] = (json as CookieJson)[field];
  return copy;
}

/**
 * An instant as epoch ms, from what cookies hold: a `Date`, an ISO string or a number.
 * `undefined` for anything else, or an invalid date.
 *
 * @example
 * ```ts
 * instantOf('2030-01-01T00:00:00.000Z'); // 1893456000000
 * instantOf('soon'); // undefined
 * ```
 */
export function instantOf(value: unknown): number | undefined {
  let at: number;
  if (value instanceof Date) at = value.getTime();
  else if (typeof value === 'string') at = Date.parse(value);
  else if (typeof value === 'number') at = value;
  else return undefined;
  return Number.isFinite(at) ? at : undefined;
}

const isNothing = (v: unknown) => v === null || v === undefined;
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isDuration = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isInstant = (v: unknown) => instantOf(v) !== undefined;
const matches = (pattern: RegExp) => (v: unknown) => typeof v === 'string' && pattern.test(v);
const isSameSiteName = matches(/^(?:lax|strict|none)$/i);
const isPathText = matches(/^[\u0020-\u003A\u003D-\u007E]*$/);

// Each field both frameworks write, and the values their Cookie classes and cookie serializers
// take without throwing. Path: printable ASCII without ';'. Domain: dot-separated host labels.
const FIELD_CHECKS: Record<string, (value: unknown) => boolean> = {
  expires: isInstant,
  originalExpires: isInstant,
  originalMaxAge: isDuration,
  maxAge: isDuration,
  httpOnly: isBoolean,
  partitioned: isBoolean,
  secure: (v) => isBoolean(v) || v === 'auto',
  sameSite: (v) => isBoolean(v) || isSameSiteName(v),
  priority: matches(/^(?:low|medium|high)$/i),
  // '/' is nearly every cookie's path: no pattern needed.
  path: (v) => v === '/' || isPathText(v),
  domain: matches(
    /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  ),
};

/** A field no framework writes: kept when it is a primitive, so it cannot be a trap. */
const isPrimitive = (v: unknown) => {
  const type = typeof v;
  return type === 'string' || type === 'number' || type === 'boolean';
};

/**
 * Why `cookie` (as read from a store) is not a cookie a framework can rebuild, or `undefined`
 * when it is: a plain object whose known fields have their types (`expires` a date, `maxAge`
 * a finite number, `sameSite` one of the serializer's values...) and whose other fields are
 * primitives. `null`/`undefined` fields are always fine.
 *
 * @example
 * ```ts
 * cookieFault({ expires: { valueOf: 1 } }); // 'cookie.expires is not a valid value'
 * ```
 */
export function cookieFault(cookie: unknown): string | undefined {
  if (cookie === null || typeof cookie !== 'object' || Array.isArray(cookie)) {
    return 'cookie is not an object';
  }
  for (const field of Object.keys(cookie)) {
    const value = (cookie as CookieJson)[field];
    if (isNothing(value)) continue;
    const check = Object.hasOwn(FIELD_CHECKS, field) ? FIELD_CHECKS[field] : isPrimitive;
    if (!check?.(value)) return `cookie.${field} is not a valid value`;
  }
  return undefined;
}

/**
 * The stored cookie with its expiry set to the record's `expiresAt`, in the same form it was
 * stored (`Date`, ISO string or number); a cookie without expiry keeps none. The record's
 * expiry is the one source of truth: `touch` moves only `expiresAt`, and this is how the next
 * read returns the touched expiry. Check it with {@link cookieFault} first.
 *
 * Sets the field on `cookie` itself and returns it (a store's `get` never shares its objects
 * with the caller, so the decoded cookie is the caller's to change); an expiry that already
 * says `expiresAt` is left as it is.
 *
 * @example
 * ```ts
 * withExpiry({ expires: '2030-01-01T00:00:00.000Z' }, Date.UTC(2031, 0, 1));
 * // { expires: '2031-01-01T00:00:00.000Z' }
 * ```
 */
export function withExpiry(cookie: CookieJson, expiresAt: number): CookieJson {
  const stored = cookie.expires;
  if (isNothing(stored) || instantOf(stored) === expiresAt) return cookie;
  cookie.expires =
    stored instanceof Date
      ? new Date(expiresAt)
      : typeof stored === 'number'
        ? expiresAt
        : new Date(expiresAt).toISOString();
  return cookie;
}
