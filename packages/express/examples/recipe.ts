import type { SessionStore } from '@sessions/core';
import { ExpressSessionStore } from '@sessions/express';
import express from 'express';
import session from 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    cart: string[];
  }
}

/** An Express app with sessions in any `@sessions` store. */
export function createApp(store: SessionStore): express.Express {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(
    session({
      store: new ExpressSessionStore({ store }), // the one line that replaces connect-redis & co.
      secret: process.env.SESSION_SECRET ?? 'change me',
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

  app.post('/login', (req, res, next) => {
    // A new session ID on login (no fixation); save BEFORE responding: express-session sends
    // an automatic save's response before it knows the save failed.
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = String(req.body.user);
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect('/')));
    });
  });

  app.post('/cart', (req, res, next) => {
    req.session.cart = [...(req.session.cart ?? []), String(req.body.sku)];
    req.session.save((err) => (err ? next(err) : res.json({ cart: req.session.cart })));
  });

  app.get('/', (req, res) => {
    res.json({ user: req.session.userId ?? null, cart: req.session.cart ?? [] });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.redirect('/')));
  });

  // CONFLICT: another request changed or destroyed this session first. Nothing was written.
  app.use(
    (
      err: { code?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent) return next(err);
      res
        .status(err.code === 'CONFLICT' ? 409 : err.code === 'UNAVAILABLE' ? 503 : 500)
        .json({ error: err.code ?? 'ERROR' });
    },
  );
  return app;
}
