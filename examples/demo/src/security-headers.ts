/**
 * The demo's response headers: what a page showing someone's session may be embedded in, may
 * load and may leak, and that no cache keeps it.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { STYLE } from './views.js';

/** The pages' one inline stylesheet, allowed by its hash: no other style or script runs. */
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * Security headers on every response:
 *
 * - `Content-Security-Policy`: nothing loads but the pages' own stylesheet (by hash) and
 *   same-origin images; forms post only to this origin; `frame-ancestors 'none'`, so no other
 *   site can frame the revoke buttons (clickjacking);
 * - `X-Content-Type-Options: nosniff`;
 * - `Referrer-Policy: same-origin`: other sites never see our URLs. (`no-referrer` would also
 *   blank the `Origin` of our own form posts, which the CSRF check reads.)
 *
 * and `Cache-Control: no-store`: every page shows session data (who is logged in, the cart,
 * the devices), so neither the browser's cache nor a shared proxy may keep a copy.
 *
 * @example
 * ```ts
 * app.use(securityHeaders());
 * ```
 */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [STYLE_SOURCE],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
  });
  return async (c, next) => {
    await headers(c, next);
    c.res.headers.set('Cache-Control', 'no-store');
  };
}
