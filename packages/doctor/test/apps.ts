// Small HTTP apps for the HTTP checks, each on a free loopback port: the Hono middleware on
// the session manager, Express with express-session (with and without trusting its proxy),
// and a raw node:http server for cookies no framework would send.
import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { MemoryStore } from '@sessions/core';
import { type SessionEnv, sessionMiddleware } from '@sessions/hono';
import express from 'express';
import session from 'express-session';
import { Hono } from 'hono';

/** A running app: its base URL and how to stop it. */
export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

function running(server: Server): Promise<RunningApp> {
  return new Promise((resolve) => {
    const done = () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    };
    if (server.listening) done();
    else server.once('listening', done);
  });
}

/** Hono with sessionMiddleware; `GET /start` starts a session, `GET /` starts none. */
export function honoApp(cookie: { name?: string; secure?: boolean } = {}): Promise<RunningApp> {
  const app = new Hono<SessionEnv<{ visits: number }>>();
  app.use(
    sessionMiddleware({ store: new MemoryStore(), cookie, initialData: () => ({ visits: 0 }) }),
  );
  app.get('/start', async (c) => {
    // A session is stored (and its cookie set) once its data changes.
    const s = await c.var.session.get();
    s.data.visits += 1;
    return c.text(String(s.data.visits));
  });
  app.get('/', (c) => c.text('no session here'));
  return running(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
}

/** Express with express-session; `GET /start` starts a session. */
export function expressApp(options: {
  secure: boolean | 'auto';
  trustProxy: boolean;
}): Promise<RunningApp> {
  const app = express();
  if (options.trustProxy) app.set('trust proxy', 1);
  app.use(
    session({
      secret: 'a test secret that is long enough to sign cookies',
      resave: false,
      saveUninitialized: false,
      cookie: { secure: options.secure, httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.get('/start', (req, res) => {
    (req.session as unknown as { started: boolean }).started = true;
    res.send('started');
  });
  return running(app.listen(0, '127.0.0.1'));
}

/** A raw server answering every request with the `Set-Cookie` headers `setCookie` returns. */
export function rawApp(
  setCookie: (cookie: string | undefined, headers: IncomingHttpHeaders) => string[],
): Promise<RunningApp> {
  const listener: RequestListener = (req, res) => {
    res.setHeader('set-cookie', setCookie(req.headers.cookie, req.headers));
    res.end('ok');
  };
  return running(createServer(listener).listen(0, '127.0.0.1'));
}
