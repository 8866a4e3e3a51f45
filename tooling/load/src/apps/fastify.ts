/**
 * The Fastify app a user writes from packages/fastify/README.md: @fastify/session with
 * `FastifySessionStore`, a login that regenerates, a counter, a logout, CONFLICT as a 409.
 * The counter stands in for the README's cart so that a session stays the same size.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type { SessionStore } from '@sessions/core';
import { FastifySessionStore } from '@sessions/fastify';
import { openStore, parseStoreChoice } from 'demo/src/store.js';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppModule } from './types.js';

declare module 'fastify' {
  interface Session {
    userId?: string;
    count?: number;
  }
}

/**
 * The Fastify app under load (`secret`: 32 characters or more).
 *
 * @example
 * ```ts
 * const app = await createFastifyApp(new SqliteStore({ database: 'sessions.db' }), secret);
 * await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export async function createFastifyApp(
  store: SessionStore,
  secret: string,
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifySession, {
    store: new FastifySessionStore({ store }),
    secret,
    saveUninitialized: false,
    cookie: { maxAge: 30 * 60_000, httpOnly: true, sameSite: 'lax', secure: false },
  });

  app.post<{ Body: { user: string } }>('/login', async (req, reply) => {
    await req.session.regenerate();
    req.session.userId = req.body.user;
    return reply.redirect('/');
  });

  app.post('/counter', async (req) => {
    req.session.count = (req.session.count ?? 0) + 1;
    return { user: req.session.userId ?? null, count: req.session.count };
  });

  app.get('/', async (req) => ({
    user: req.session.userId ?? null,
    count: req.session.count ?? 0,
  }));

  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/');
  });

  app.setErrorHandler((err: { code?: string }, _req, reply) => {
    const status = err.code === 'CONFLICT' ? 409 : err.code === 'UNAVAILABLE' ? 503 : 500;
    return reply.status(status).send({ error: err.code ?? 'ERROR' });
  });
  return app;
}

/** Start the Fastify app on a free loopback port. */
export const start: AppModule['start'] = async (spec, secret) => {
  const store = await openStore(parseStoreChoice(spec));
  const app = await createFastifyApp(store, secret);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
};
