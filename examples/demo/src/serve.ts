/**
 * Start the demo on a port: the store from `SESSION_STORE`, the app, an HTTP server. Used by
 * `pnpm start` (src/server.ts) and by the end-to-end test.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDemoApp } from './app.js';
import { describeChoice, openStore, parseStoreChoice, type StoreTuning } from './store.js';

/** Options of {@link serveDemo}. */
export interface ServeDemoOptions {
  /** `SESSION_STORE`-style choice of store (default: SQLite in the working directory). */
  store?: string | undefined;
  /** Port (0: any free one). */
  port: number;
  /** Interface to listen on (default `localhost`). */
  hostname?: string;
  /** The `__Host-` secure cookie (default true). */
  secureCookie?: boolean;
  /** Backend settings that do not fit in the store URL. */
  tuning?: StoreTuning;
}

/** A running demo. */
export interface RunningDemo {
  /** Where it answers, e.g. `http://localhost:3000`. */
  url: string;
  /** Where sessions are kept, for the console. */
  storeDescription: string;
  /** Stop accepting requests, then close the store. */
  close(): Promise<void>;
}

/** Open the store and serve the demo; resolves once it listens. */
export async function serveDemo(options: ServeDemoOptions): Promise<RunningDemo> {
  const choice = parseStoreChoice(options.store);
  const store = await openStore(choice, options.tuning);
  const app = createDemoApp({ store, secureCookie: options.secureCookie ?? true });
  const hostname = options.hostname ?? 'localhost';
  try {
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
      (resolvePort, reject) => {
        const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info) =>
          resolvePort({ server, port: (info as AddressInfo).port }),
        );
        server.once('error', reject);
      },
    );
    return {
      url: `http://${hostname}:${port}`,
      storeDescription: describeChoice(choice),
      close: async () => {
        await new Promise<void>((done, fail) => {
          server.close((err) => (err ? fail(err) : done()));
          // Keep-alive connections would hold close() open until they time out.
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
