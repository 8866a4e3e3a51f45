import type { SessionStore } from '@sessions/core';
import {
  dropSession,
  ExpressSessionStore,
  errorStatus,
  saveBeforeResponse,
} from '@sessions/express';
import express from 'express';
import session from 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    cart: string[];
  }
}

/** An Express app with sessions in any `@sessions` store. */
export function createApp(
  store: SessionStore,
  secret = process.env.SESSION_SECRET,
): express.Express {
  if (!secret) throw new Error('set SESSION_SECRET: the secret that signs session cookies');
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(
    session({
      store: new ExpressSessionStore({ store }), // the one line that replaces connect-redis & co.
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: {
        maxAge: 30 * 60_000,
        httpOnly: true,
        sameSite: 'lax',
        secure: process.env.NODE_ENV === 'production',
      },
    }),
  );
  // Each response waits for its session's save: a failed save is a 409/503/500, never a 200.
  app.use(saveBeforeResponse());

  app.post('/login', (req, res, next) => {
    // A new session ID on login (no fixation).
    req.session.regenerate((err) => {
      if (err) {
        dropSession(req); // no cookie for a session that was never stored
        return next(err);
      }
      req.session.userId = String(req.body.user);
      res.redirect('/');
    });
  });

  app.post('/cart', (req, res) => {
    req.session.cart = [...(req.session.cart ?? []), String(req.body.sku)];
    res.json({ cart: req.session.cart });
  });

  app.get('/', (req, res) => {
    res.json({ user: req.session.userId ?? null, cart: req.session.cart ?? [] });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.redirect('/')));
  });

  // 409: another request changed or ended this session first; 503: the store is down.
  // Either way nothing was written, and no cookie names a session that does not exist.
  app.use(
    (
      err: { code?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent) return next(err);
      res.status(errorStatus(err)).json({ error: err.code ?? 'ERROR' });
    },
  );
  return app;
}
