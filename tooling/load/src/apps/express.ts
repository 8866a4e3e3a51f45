/**
 * The Express app a user writes from packages/express/README.md: express-session with
 * `ExpressSessionStore` and `saveBeforeResponse()`, a login that regenerates, a counter, a
 * logout. The counter stands in for the README's cart so that a session stays the same size
 * however long the run.
 */
import type { SessionStore } from '@sessions/core';
import {
  dropSession,
  ExpressSessionStore,
  errorStatus,
  saveBeforeResponse,
} from '@sessions/express';
import { openStore, parseStoreChoice } from 'demo/src/store.js';
import express from 'express';
import session from 'express-session';
import { listen } from './listen.js';
import type { AppModule } from './types.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    count: number;
  }
}

/**
 * The Express app under load. `extra` runs first on every request: a test's broken variant
 * hooks in there.
 *
 * @example
 * ```ts
 * const app = createExpressApp(new SqliteStore({ database: 'sessions.db' }), secret);
 * ```
 */
export function createExpressApp(
  store: SessionStore,
  secret: string,
  extra?: express.RequestHandler,
): express.Express {
  const app = express();
  if (extra) app.use(extra);
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(
    session({
      store: new ExpressSessionStore({ store }),
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 30 * 60_000, httpOnly: true, sameSite: 'lax', secure: false },
    }),
  );
  app.use(saveBeforeResponse());

  app.post('/login', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) {
        dropSession(req);
        return next(err);
      }
      req.session.userId = String(req.body.user);
      res.redirect('/');
    });
  });

  app.post('/counter', (req, res) => {
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ user: req.session.userId ?? null, count: req.session.count });
  });

  app.get('/', (req, res) => {
    res.json({ user: req.session.userId ?? null, count: req.session.count ?? 0 });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.redirect('/')));
  });

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

/** Start the Express app on a free loopback port. */
export const start: AppModule['start'] = async (spec, secret) => {
  const store = await openStore(parseStoreChoice(spec));
  return listen(createExpressApp(store, secret), store);
};
