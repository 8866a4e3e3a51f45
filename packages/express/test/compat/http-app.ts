// The app the compatibility suite drives over HTTP: express-session with our store, each
// option as the test asks, and routes that exercise every Session method.
import type { SessionStore } from '@sessions/core';
import express from 'express';
import session from 'express-session';
import {
  dropSession,
  ExpressSessionStore,
  errorStatus,
  saveBeforeResponse,
} from '../../src/index.js';

export interface CompatOptions {
  resave?: boolean;
  saveUninitialized?: boolean;
  rolling?: boolean;
  guard?: boolean;
}

export interface CompatApp {
  app: express.Express;
  adapter: ExpressSessionStore;
  /** Every error that reached the app's error handler, in order. */
  errors: unknown[];
}

export function compatApp(store: SessionStore, options: CompatOptions = {}): CompatApp {
  const adapter = new ExpressSessionStore({ store });
  const errors: unknown[] = [];
  const app = express();
  app.use(
    session({
      store: adapter,
      secret: 'test secret, not for production',
      resave: options.resave ?? false,
      saveUninitialized: options.saveUninitialized ?? false,
      rolling: options.rolling ?? false,
      cookie: { maxAge: 60 * 60_000 },
    }),
  );
  if (options.guard ?? true) app.use(saveBeforeResponse());

  app.get('/peek', (req, res) => {
    res.json({ id: req.sessionID, session: { ...req.session } });
  });
  app.post('/set/:field/:value', (req, res) => {
    (req.session as unknown as Record<string, string>)[req.params.field] = req.params.value;
    res.json({ id: req.sessionID });
  });
  app.post('/save', (req, res, next) => {
    req.session.userId = 'saved';
    req.session.save((err) => (err ? next(err) : res.json({ saved: true })));
  });
  app.post('/regenerate', (req, res, next) => {
    const kept = typeof req.query.keep === 'string' ? req.query.keep.split(',') : [];
    const copy = Object.fromEntries(
      kept.map((field) => [field, (req.session as unknown as Record<string, unknown>)[field]]),
    );
    req.session.regenerate((err) => {
      if (err) {
        dropSession(req);
        return next(err);
      }
      Object.assign(req.session, copy);
      res.json({ id: req.sessionID });
    });
  });
  app.post('/reload', (req, res, next) => {
    req.session.reload((err) => (err ? next(err) : res.json({ session: { ...req.session } })));
  });
  app.post('/destroy', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })));
  });
  app.use(
    (
      err: { code?: string; message?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      errors.push(err);
      // An error after the response (express-session's touch at the end) is only recorded.
      if (res.headersSent) return;
      res.status(errorStatus(err)).json({ error: err.code ?? err.message });
    },
  );
  return { app, adapter, errors };
}
