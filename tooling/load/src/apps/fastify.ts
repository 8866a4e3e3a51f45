/**
 * The Fastify app of packages/fastify/README.md, as it is: its recipe
 * (packages/fastify/examples/recipe.ts: @fastify/session with `FastifySessionStore`, a login
 * that regenerates, a cart, a logout, CONFLICT as a 409), so the load measures the app users
 * copy and not a look-alike.
 */
import { openStore, parseStoreChoice } from 'demo/src/store.js';
import { createApp } from '../../../../packages/fastify/examples/recipe.js';
import type { AppModule } from './types.js';

/** Start the Fastify app on a free loopback port (the recipe reads its secret from the environment). */
export const start: AppModule['start'] = async (spec, secret) => {
  process.env.SESSION_SECRET = secret;
  const store = await openStore(parseStoreChoice(spec));
  const app = await createApp(store);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
};
