import type { SessionStore } from '@sessions/core';
import { login, logout, type SessionEnv, sessionMiddleware } from '@sessions/hono';
import { Hono } from 'hono';

interface Shop {
  cart: string[];
}

/** A Hono app with sessions in any `@sessions` store. */
export function createApp(store: SessionStore): Hono<SessionEnv<Shop>> {
  const app = new Hono<SessionEnv<Shop>>();
  app.use(
    sessionMiddleware<Shop>({
      store, // SqliteStore, RedisStore, MongoDBStore, DynamoDBStore, MemoryStore...
      idleTimeout: 30 * 60_000,
      initialData: () => ({ cart: [] }),
    }),
  );

  app.post('/login', async (c) => {
    const { user } = await c.req.parseBody();
    // (check the password first) A new token at login: one planted before it is worthless.
    await login(c, String(user));
    return c.redirect('/');
  });

  app.post('/cart', async (c) => {
    const { sku } = await c.req.parseBody();
    const session = await c.var.session.get(); // started for a new visitor, stored if changed
    session.data.cart.push(String(sku));
    // Saved before this response leaves: if the store is down the client gets a 503, not this.
    return c.json({ cart: session.data.cart });
  });

  app.get('/', async (c) => {
    const session = await c.var.session.load(); // read-only: no session started, nothing written
    return c.json({ user: session?.userId ?? null, cart: session?.data.cart ?? [] });
  });

  app.post('/logout', async (c) => {
    await logout(c);
    return c.redirect('/');
  });
  return app;
}
