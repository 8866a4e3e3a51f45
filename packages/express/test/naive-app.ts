// An app written the way express-session's docs show: handlers change req.session and respond,
// with no explicit save. Served over real HTTP, with or without saveBeforeResponse().
import type { AddressInfo } from 'node:net';
import type { SessionStore } from '@sessions/core';
import express from 'express';
import session from 'express-session';
import { afterEach } from 'vitest';
import { ExpressSessionStore, errorStatus, saveBeforeResponse } from '../src/index.js';

declare module 'express-session' {
  interface SessionData {
    items: string[];
    blob: string;
    big: bigint;
  }
}

export interface NaiveServer {
  url: string;
  adapter: ExpressSessionStore;
  /** Resolves when a request has parked at /slow-add. */
  parked: Promise<void>;
  /** Lets the parked request go on. */
  release(): void;
}

export interface NaiveOptions {
  guard?: boolean;
  rolling?: boolean;
  resave?: boolean;
  saveUninitialized?: boolean;
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Start the naive app on a free loopback port; it stops after the test. */
export async function startNaiveApp(
  store: SessionStore,
  options: NaiveOptions = {},
): Promise<NaiveServer> {
  const adapter = new ExpressSessionStore({ store });
  let release!: () => void;
  let onParked!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const parked = new Promise<void>((r) => {
    onParked = r;
  });
  const app = express();
  app.use(
    session({
      store: adapter,
      secret: 'test secret, not for production',
      resave: options.resave ?? false,
      saveUninitialized: options.saveUninitialized ?? false,
      rolling: options.rolling ?? false,
      cookie: { maxAge: 60 * 60_000, httpOnly: true, sameSite: 'lax' },
    }),
  );
  if (options.guard ?? true) app.use(saveBeforeResponse());

  app.post('/login/:user', (req, res) => {
    req.session.userId = req.params.user;
    res.json({ ok: true });
  });
  // Handlers that await something (a database call...) between reading and changing the
  // session, as real ones do: concurrent requests on one session interleave.
  app.post('/count', async (req, res) => {
    await databaseCall();
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ count: req.session.count });
  });
  app.post('/add/:item', async (req, res) => {
    await databaseCall();
    req.session.items = [...(req.session.items ?? []), req.params.item];
    res.json({ items: req.session.items });
  });
  app.post('/slow-add/:item', async (req, res) => {
    onParked();
    await gate;
    req.session.items = [...(req.session.items ?? []), req.params.item];
    res.json({ items: req.session.items });
  });
  // A login as express-session's docs show it: a new session ID, then the user.
  app.post('/relogin/:user', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = req.params.user;
      res.json({ ok: true });
    });
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })));
  });
  app.get('/me', (req, res) => {
    res.json({ userId: req.session.userId ?? null, items: req.session.items ?? [] });
  });
  app.post('/blob/:bytes', (req, res) => {
    req.session.blob = 'x'.repeat(Number(req.params.bytes));
    res.json({ ok: true });
  });
  app.post('/bigint', (req, res) => {
    req.session.big = 1n;
    res.json({ ok: true });
  });
  app.all('/mark-head', (req, res) => {
    req.session.userId = 'head';
    res.status(204).end();
  });
  // A streamed response: the head and the first chunk go out before the handler ends it.
  app.post('/stream/:item', async (req, res) => {
    if (req.query.park !== undefined) {
      onParked();
      await gate;
    }
    req.session.items = [...(req.session.items ?? []), req.params.item];
    res.setHeader('content-type', 'text/plain');
    res.write('first,');
    setTimeout(() => res.end('last'), 20);
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

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, adapter, parked, release };
}

/** What a handler awaits between reading and changing the session (a query, an API call). */
function databaseCall(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

/** A browser: keeps the session cookie it was last given. */
export class Client {
  cookie: string | undefined;
  constructor(readonly base: string) {}

  async send(
    method: string,
    path: string,
  ): Promise<{ status: number; body: string; setCookie: string[] }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    // A hung request (express-session hashing a BigInt) fails the test instead of stalling it.
    const res = await fetch(this.base + path, {
      method,
      headers,
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    const setCookie = res.headers.getSetCookie();
    const sid = setCookie.find((c) => c.startsWith('connect.sid='));
    if (sid) this.cookie = sid.split(';')[0];
    return { status: res.status, body, setCookie };
  }
}
