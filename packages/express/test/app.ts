// The Express app every adapter test drives: the recipe from the README, plus test hooks.
import { isSessionError, type SessionStore } from '@sessions/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { afterEach } from 'vitest';
import { ExpressSessionStore } from '../src/index.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    count: number;
    seen: Date;
  }
}

export interface TestApp {
  app: express.Express;
  adapter: ExpressSessionStore;
  /** Resolve to let a request parked at /slow-increment finish. */
  release(): void;
  /** Resolves when a request has parked at /slow-increment. */
  parked: Promise<void>;
}

export function buildApp(
  store: SessionStore,
  options: { rolling?: boolean; maxAge?: number } = {},
): TestApp {
  const adapter = new ExpressSessionStore({ store });
  const app = express();
  let release!: () => void;
  let onParked!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const parked = new Promise<void>((r) => {
    onParked = r;
  });

  app.use(
    session({
      store: adapter,
      secret: 'test secret, not for production',
      resave: false,
      saveUninitialized: false,
      rolling: options.rolling ?? false,
      cookie: { maxAge: options.maxAge ?? 60 * 60_000, httpOnly: true, sameSite: 'lax' },
    }),
  );

  // The login recipe: regenerate (no fixation), then save explicitly BEFORE responding, so a
  // failed save is an error response, never a 200 with a cookie for a session that isn't stored.
  app.post('/login/:user', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = String(req.params.user);
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.json({ ok: true })));
    });
  });

  app.get('/me', (req, res) => {
    res.json({
      userId: req.session.userId ?? null,
      expires: req.session.cookie.expires?.getTime() ?? null,
    });
  });

  // Handlers that change the session save before they respond (see the login recipe).
  app.post('/count', (req, res, next) => {
    req.session.count = (req.session.count ?? 0) + 1;
    req.session.save((err) => (err ? next(err) : res.json({ count: req.session.count })));
  });

  app.post('/slow-increment', async (req, res, next) => {
    onParked();
    await gate;
    req.session.count = (req.session.count ?? 0) + 1;
    req.session.save((err) => (err ? next(err) : res.json({ count: req.session.count })));
  });

  // Left to express-session's automatic save at the end of the request.
  app.post('/slow-increment-autosave', async (req, res) => {
    onParked();
    await gate;
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ count: req.session.count });
  });

  app.post('/seen', (req, res) => {
    req.session.seen = new Date(1_700_000_000_123);
    res.json({ ok: true });
  });

  app.get('/seen', (req, res) => {
    res.json({
      isDate: req.session.seen instanceof Date,
      time: new Date(req.session.seen ?? 0).getTime(),
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })));
  });

  // A save that lost a compare-and-set is a 409, not a silent overwrite.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = isSessionError(err, 'CONFLICT') ? 409 : 500;
    if (!res.headersSent) res.status(status).json({ error: (err as Error).message });
  });

  return { app, adapter, release, parked };
}

/** The session ID inside a signed `connect.sid` cookie of a supertest response. */
export function sidFromCookie(setCookie: string | string[] | undefined): string {
  const header = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('connect.sid='));
  if (!header) throw new Error('no connect.sid cookie');
  const value = decodeURIComponent(header.slice('connect.sid='.length).split(';')[0] ?? '');
  return value.slice(2, value.lastIndexOf('.'));
}

/** A store factory whose stores are closed after each test. */
export function closedAfterEach<O>(makeStore: (options?: O) => Promise<SessionStore>) {
  const opened: SessionStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  return async (options?: O) => {
    const store = await makeStore(options);
    opened.push(store);
    return store;
  };
}
