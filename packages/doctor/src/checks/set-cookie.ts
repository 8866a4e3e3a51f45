/** A `Set-Cookie` header, read the way a browser reads it (RFC 6265bis, section 5.6). */

/** The parts of a `Set-Cookie` the doctor judges. Attribute names are lower-cased. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  /** `name=value` as the browser stores (and sends) it. */
  readonly pair: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** `SameSite`, lower-cased (`lax`, `strict`, `none`), or undefined when absent. */
  readonly sameSite: string | undefined;
  readonly domain: string | undefined;
  readonly path: string | undefined;
  /** True when `Max-Age` ≤ 0 or `Expires` is in the past: the header deletes the cookie. */
  readonly deletes: boolean;
}

/** Parse one `Set-Cookie` header value; undefined for one a browser would ignore. */
export function parseSetCookie(header: string, now: number): SetCookie | undefined {
  const [pairText = '', ...attributeTexts] = header.split(';');
  const at = pairText.indexOf('=');
  if (at < 0) return undefined;
  const name = pairText.slice(0, at).trim();
  const value = pairText.slice(at + 1).trim();
  if (name === '') return undefined;
  const attributes = new Map<string, string>();
  for (const text of attributeTexts) {
    const eq = text.indexOf('=');
    const key = (eq < 0 ? text : text.slice(0, eq)).trim().toLowerCase();
    attributes.set(key, eq < 0 ? '' : text.slice(eq + 1).trim());
  }
  const maxAge = attributes.get('max-age');
  const expires = attributes.get('expires');
  const deletes =
    maxAge !== undefined
      ? Number(maxAge) <= 0
      : expires !== undefined && Date.parse(expires) <= now;
  const domain = attributes.get('domain');
  return {
    name,
    value,
    pair: `${name}=${value}`,
    secure: attributes.has('secure'),
    httpOnly: attributes.has('httponly'),
    sameSite: attributes.get('samesite')?.toLowerCase(),
    domain: domain ? domain.replace(/^\./, '').toLowerCase() : undefined,
    path: attributes.get('path'),
    deletes,
  };
}

/** Whether `host` is the cookie's domain or under it (RFC 6265bis, "domain-match"). */
export function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Whether a request to `path` carries a cookie scoped to `cookiePath` ("path-match"). */
export function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
