/** Serve a Node request listener on a free loopback port (the Express app's server). */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionStore } from '@sessions/core';
import type { RunningApp } from './types.js';

/**
 * Listen on `127.0.0.1:0`; `close()` stops the server, drops its keep-alive connections and
 * closes the store.
 *
 * @example
 * ```ts
 * const running = await listen(createExpressApp(store, secret), store);
 * ```
 */
export async function listen(handler: RequestListener, store: SessionStore): Promise<RunningApp> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
