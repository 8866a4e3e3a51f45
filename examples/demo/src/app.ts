/**
 * The demo shop: log in (no password: a demo), a cart, and an "active sessions" page with
 * revoke and "log out everywhere". Plain forms, post-redirect-get, no scripts.
 */
import type { Clock, MissReason, SessionStore } from '@sessions/core';
import {
  activeSessions,
  login,
  logout,
  logoutEverywhere,
  revokeSession,
  type SessionEnv,
  sessionMiddleware,
  userAgentMeta,
} from '@sessions/hono';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { productOf } from './catalogue.js';
import { deviceLabel } from './device.js';
import { securityHeaders } from './security-headers.js';
import { DEFAULT_MAX_SESSIONS_PER_USER, revokeOldestBeyond } from './session-cap.js';
import { type Cart, errorPage, layout, loginForm, sessionsPage, shopPage } from './views.js';

/** Why this browser's previous session ended, and when (see {@link rememberMiss}). */
export interface LastMiss {
  reason: MissReason;
  at: number;
}

/** What the demo keeps in a session. */
export interface DemoSession {
  cart: Cart;
  /** Why the session this browser had before this one ended. */
  lastMiss?: LastMiss;
}

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions {
  /** Where sessions live. */
  store: SessionStore;
  /**
   * Secure `__Host-sid` cookie (default true). Browsers accept it on `http://localhost` too;
   * turn it off only for a browser that does not, or a plain-HTTP host other than localhost.
   */
  secureCookie?: boolean;
  /** The clock of the session manager (tests); default `Date.now`. */
  clock?: Clock;
  /**
   * How many sessions one user may have at once (default 10): a login beyond that revokes
   * the user's oldest sessions.
   */
  maxSessionsPerUser?: number;
}

// Letters, digits and a few separators: a username is shown on pages and used as the owner key.
const USERNAME = /^[\p{L}\p{N}_.@-]{1,64}$/u;
const MAX_DEVICE_NAME = 40;
/** The largest request body read: the demo's forms send a few dozen bytes. */
export const MAX_BODY_BYTES = 8 * 1024;

/** The demo app, ready for `serve({ fetch: app.fetch })` or `app.request(...)`. */
export function createDemoApp(options: DemoAppOptions): Hono<SessionEnv<DemoSession>> {
  const app = new Hono<SessionEnv<DemoSession>>();
  const secure = options.secureCookie ?? true;
  const maxSessions = options.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
    throw new RangeError(`maxSessionsPerUser must be a positive integer, got ${maxSessions}`);
  }

  app.use(securityHeaders());
  // Before anything reads a body: a large post is refused without being buffered.
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.html(
          errorPage('Too much data', 'That request was larger than any form here sends.'),
          413,
        ),
    }),
  );
  // SameSite=Lax already keeps other sites' form posts from carrying the cookie; checking
  // Origin / Sec-Fetch-Site as well covers browsers that do not enforce SameSite.
  app.use(csrf());
  app.use(
    sessionMiddleware<DemoSession>({
      store: options.store,
      ...(options.clock ? { clock: options.clock } : {}),
      cookie: secure ? {} : { name: 'sid', secure: false },
      initialData: () => ({ cart: {} }),
      meta: (c) => {
        const userAgent = userAgentMeta(c)?.userAgent;
        return { device: deviceLabel(userAgent), ...(userAgent ? { userAgent } : {}) };
      },
      onConflict: (c) =>
        c.html(
          errorPage(
            'Nothing was saved',
            'Another tab or device changed or ended this session at the same moment. Go back and try again.',
          ),
          409,
        ),
      onUnavailable: (c) =>
        c.html(
          errorPage(
            'Sessions are unavailable',
            'The session store cannot be reached right now, so nothing was saved. Try again in a few seconds.',
          ),
          503,
        ),
    }),
  );

  app.use(rememberMiss(options.clock ?? Date.now));

  app.get('/', async (c) => {
    const session = await c.var.session.load(); // a read: starts nothing, writes nothing
    return c.html(
      layout('Shop', session?.userId, shopPage(session?.data.cart ?? {}, !!session?.userId)),
    );
  });

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const username = String(form.username ?? '').trim();
    if (!USERNAME.test(username)) {
      const session = await c.var.session.load();
      const error = 'A username is 1 to 64 letters, digits, or . _ @ -';
      return c.html(
        layout('Log in', undefined, shopPage(session?.data.cart ?? {}, false, error)),
        400,
      );
    }
    const device = String(form.device ?? '')
      .trim()
      .slice(0, MAX_DEVICE_NAME);
    const userAgent = userAgentMeta(c)?.userAgent;
    // A demo: no password. A real app checks credentials here, then calls login().
    await login(c, username, {
      meta: { device: device || deviceLabel(userAgent), ...(userAgent ? { userAgent } : {}) },
    });
    await revokeOldestBeyond(c, maxSessions);
    return c.redirect('/', 303);
  });

  app.post('/logout', async (c) => {
    await logout(c);
    return c.redirect('/', 303);
  });

  app.post('/cart/:action{add|remove}', async (c) => {
    const product = productOf((await c.req.parseBody()).sku);
    if (!product) return c.html(errorPage('No such product', 'That item is not for sale.'), 400);
    const session = await c.var.session.get(); // a new visitor's cart starts a session
    const cart = session.data.cart;
    const quantity = (cart[product.sku] ?? 0) + (c.req.param('action') === 'add' ? 1 : -1);
    if (quantity > 0) cart[product.sku] = quantity;
    else delete cart[product.sku];
    return c.redirect('/', 303);
  });

  app.get('/sessions', async (c) => {
    const session = await c.var.session.load();
    if (session?.userId === undefined) {
      return c.html(
        layout('Active sessions', undefined, loginForm('Log in to see your sessions.')),
      );
    }
    return c.html(
      layout(
        'Active sessions',
        session.userId,
        sessionsPage(await activeSessions(c), session.data.lastMiss),
      ),
    );
  });

  app.post('/sessions/revoke', async (c) => {
    const handle = String((await c.req.parseBody()).handle ?? '');
    const current = await c.var.session.load();
    await revokeSession(c, handle);
    return c.redirect(handle === current?.handle ? '/' : '/sessions', 303);
  });

  app.post('/sessions/logout-others', async (c) => {
    await logoutEverywhere(c, { keepCurrent: true });
    return c.redirect('/sessions', 303);
  });

  app.post('/sessions/logout-all', async (c) => {
    await logoutEverywhere(c);
    return c.redirect('/', 303);
  });

  return app;
}

/**
 * When a request came with a session cookie that opened nothing and then started a session
 * (a login, a first cart item), keep why the old one ended in the new one, so the sessions page
 * can tell the user "your previous session here expired / was revoked elsewhere".
 *
 * Runs after the route, before the middleware saves: it costs no store call (the reason was
 * found when the route loaded the session). The reason reaches only the session started by the
 * browser that sent the dead cookie, on a page only its logged-in user sees; every other
 * response is the same whatever the reason. So what one can learn is why a token one already
 * holds no longer works: worthless for guessing (IDs are 256 random bits), and the token is
 * dead either way.
 */
function rememberMiss(clock: Clock): MiddlewareHandler<SessionEnv<DemoSession>> {
  return async (c, next) => {
    await next();
    const reason = c.var.sessionMiss;
    // No cookie: a first visit, nothing was lost. Unavailable: the request failed with a 503.
    if (reason === undefined || reason === 'no-cookie' || reason === 'store-unavailable') return;
    const session = await c.var.session.load();
    if (session !== undefined) session.data.lastMiss = { reason, at: clock() };
  };
}
