/**
 * The Express app of packages/express/README.md, as it is: its recipe
 * (packages/express/examples/recipe.ts: express-session with `ExpressSessionStore` and
 * `saveBeforeResponse()`, a login that regenerates, a cart, a logout, errors as 409/503), so the
 * load measures the app users copy and not a look-alike.
 */
import type { SessionStore } from '@sessions/core';
import { openStore, parseStoreChoice } from 'demo/src/store.js';
import express from 'express';
import { createApp } from '../../../../packages/express/examples/recipe.js';
import { listen } from './listen.js';
import type { AppModule } from './types.js';

/**
 * The recipe's app, behind `extra` when given: middleware that runs first on every request,
 * where a test's broken variant hooks in.
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
  const recipe = createApp(store, secret);
  if (!extra) return recipe;
  const app = express();
  app.use(extra, recipe);
  return app;
}

/** Start the Express app on a free loopback port. */
export const start: AppModule['start'] = async (spec, secret) => {
  const store = await openStore(parseStoreChoice(spec));
  return listen(createExpressApp(store, secret), store);
};
