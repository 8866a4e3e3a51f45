import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type { SessionStore } from '@sessions/core';
import { FastifySessionStore } from '@sessions/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface Session {
    userId?: string;
    cart?: string[];
  }
}

/** A Fastify app with sessions in any `@sessions` store; `SESSION_SECRET` signs the cookie. */
export async function createApp(store: SessionStore): Promise<FastifyInstance> {
  // No default secret: one in the source is public, so anyone could sign a session cookie.
  const secret = process.env.SESSION_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('Set SESSION_SECRET to 32 or more random characters (openssl rand -hex 32)');
  }
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifySession, {
    store: new FastifySessionStore({ store }), // the one line that replaces connect-redis & co.
    secret,
    saveUninitialized: false,
    cookie: {
      maxAge: 30 * 60_000,
      httpOnly: true,
      sameSite: 'lax',
      secure: process.env.NODE_ENV === 'production',
    },
  });

  app.post<{ Body: { user: string } }>('/login', async (req, reply) => {
    await req.session.regenerate(); // a new session ID on login: no fixation
    req.session.userId = req.body.user;
    return reply.redirect('/'); // @fastify/session saves before this response is sent
  });

  app.post<{ Body: { sku: string } }>('/cart', async (req) => {
    req.session.cart = [...(req.session.cart ?? []), req.body.sku];
    return { cart: req.session.cart };
  });

  app.get('/', async (req) => ({ user: req.session.userId ?? null, cart: req.session.cart ?? [] }));

  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/');
  });

  // CONFLICT: another request changed or destroyed this session first. Nothing was written.
  app.setErrorHandler((err: { code?: string }, _req, reply) => {
    const status = err.code === 'CONFLICT' ? 409 : err.code === 'UNAVAILABLE' ? 503 : 500;
    return reply.status(status).send({ error: err.code ?? 'ERROR' });
  });
  return app;
}
