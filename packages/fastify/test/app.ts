// The Fastify app every adapter test drives: the recipe from the README, plus test hooks.
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { isSessionError, type SessionStore } from '@sessions/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { FastifySessionStore } from '../src/index.js';

declare module 'fastify' {
  interface Session {
    userId?: string;
    count?: number;
    seen?: Date;
    theme?: string;
  }
}

export interface TestApp {
  app: FastifyInstance;
  adapter: FastifySessionStore;
  release(): void;
  parked: Promise<void>;
}

/** How a test app runs @fastify/session. */
export interface AppOptions {
  rolling?: boolean;
  saveUninitialized?: boolean;
}

export async function buildApp(store: SessionStore, options: AppOptions = {}): Promise<TestApp> {
  const adapter = new FastifySessionStore({ store });
  const app = Fastify();
  let release!: () => void;
  let onParked!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const parked = new Promise<void>((r) => {
    onParked = r;
  });

  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: 'a test secret that is at least thirty-two characters long',
    store: adapter,
    // inject() speaks plain HTTP; production keeps secure: true.
    cookie: { maxAge: 60 * 60_000, secure: false, httpOnly: true, sameSite: 'lax' },
    saveUninitialized: options.saveUninitialized ?? false,
    rolling: options.rolling ?? false,
  });

  app.post<{ Params: { user: string } }>('/login/:user', async (req) => {
    await req.session.regenerate(); // a fresh ID on login: no fixation
    req.session.userId = req.params.user;
    return { ok: true, expires: req.session.cookie.expires?.getTime() ?? null };
  });
  app.get('/me', async (req) => ({
    userId: req.session.userId ?? null,
    expires: req.session.cookie.expires?.getTime() ?? null,
  }));
  app.post('/count', async (req) => {
    req.session.count = (req.session.count ?? 0) + 1;
    return { count: req.session.count };
  });
  app.post('/slow-increment', async (req) => {
    onParked();
    await gate;
    req.session.count = (req.session.count ?? 0) + 1;
    return { count: req.session.count };
  });
  app.post('/seen', async (req) => {
    req.session.seen = new Date(1_700_000_000_123);
    return { ok: true };
  });
  app.get('/seen', async (req) => ({
    isDate: req.session.seen instanceof Date,
    time: new Date(req.session.seen ?? 0).getTime(),
  }));
  app.post('/theme', async (req) => {
    req.session.theme = 'dark';
    return { ok: true };
  });
  app.get('/nothing', async () => ({ ok: true })); // never reads or writes the session
  app.post('/reload-and-count', async (req) => {
    req.session.count = 99; // never saved: reload drops it
    await req.session.reload();
    const reloaded = req.session.count ?? 0;
    req.session.count = reloaded + 1;
    return { reloaded, count: req.session.count };
  });
  app.post('/slow-reload', async (req) => {
    const before = req.session.count ?? 0;
    onParked();
    await gate;
    await req.session.reload();
    return { before, after: req.session.count ?? 0 };
  });
  // An explicit save, then a change after it: the change is saved again when the response goes.
  app.post('/save-then-count', async (req) => {
    req.session.count = (req.session.count ?? 0) + 1;
    await req.session.save();
    req.session.count += 1;
    return { count: req.session.count };
  });
  app.post<{ Querystring: { keys: string } }>('/regenerate-keeping', async (req) => {
    await req.session.regenerate(req.query.keys.split(','));
    return { keys: Object.keys(req.session).sort() };
  });
  app.post('/regenerate', async (req) => {
    await req.session.regenerate();
    return { ok: true };
  });
  app.post('/regenerate-keeping-all', async (req) => {
    await req.session.regenerate(Object.keys(req.session));
    return { keys: Object.keys(req.session) };
  });
  app.post('/logout', async (req) => {
    await req.session.destroy();
    return { ok: true };
  });
  // A save that lost a compare-and-set is a 409, not a silent overwrite; an outage a 503.
  app.setErrorHandler((err, _req, reply) => {
    const status = isSessionError(err, 'CONFLICT')
      ? 409
      : isSessionError(err, 'UNAVAILABLE')
        ? 503
        : 500;
    reply
      .status(status)
      .send({ error: (err as Error).message, code: (err as Error & { code?: string }).code });
  });
  await app.ready();
  return { app, adapter, release, parked };
}

/** A cookie jar of one: the session cookie a response set, for the next request. */
export function sessionCookie(res: { cookies: Array<{ name: string; value: string }> }): string {
  const cookie = res.cookies.find((c) => c.name === 'sessionId');
  if (!cookie) throw new Error('no sessionId cookie');
  return `sessionId=${cookie.value}`;
}

/** The session ID inside a signed cookie value. */
export function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice('sessionId='.length));
  return value.slice(0, value.lastIndexOf('.'));
}

/** Serve `app` over real HTTP on a free loopback port; the base URL. */
export async function listening(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** Stores and apps for one test, each closed after it (apps first). */
export function closedAfterEach<O>(makeStore: (options?: O) => Promise<SessionStore>) {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close();
  });
  return {
    open: async (options?: O) => {
      const store = await makeStore(options);
      opened.push(store);
      return store;
    },
    app: async (store: SessionStore, options?: AppOptions) => {
      const built = await buildApp(store, options);
      opened.push(built.app);
      return built;
    },
  };
}
