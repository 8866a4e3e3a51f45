/**
 * The demo shop (examples/demo) as `pnpm start` serves it: the Hono adapter, its store opened
 * from the same `SESSION_STORE`-style choice, the secure `__Host-sid` cookie.
 */
import { serveDemo } from 'demo/src/serve.js';
import type { AppModule } from './types.js';

/** Start the demo on a free loopback port (it signs nothing: its session IDs are the secret). */
export const start: AppModule['start'] = (store) =>
  serveDemo({ store, port: 0, hostname: '127.0.0.1' });
