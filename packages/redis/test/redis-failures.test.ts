// Failure behaviour: while Redis is down (or silent) every operation rejects with UNAVAILABLE
// within the bound, never resolves as if it worked, and the same store recovers by itself,
// through each client library the store supports.
import { createServer, type Server, type Socket } from 'node:net';
import { isSessionError, type SessionError } from '@sessions/core';
import type { RunningServer } from '@sessions/test-services';
import { pingRedis, redisInstalled, startRedis } from '@sessions/test-services/redis';
import { Redis } from 'ioredis';
import { createClient as createClient6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisStore, type RedisStoreClient, type RedisStoreOptions } from '../src/index.js';
import { CLIENT_FLAVORS } from './support.js';

const inAnHour = () => Date.now() + 3_600_000;

/** Every operation of the contract against `store`, each expected to fail. */
function everyOperation(store: RedisStore): Array<[string, () => Promise<unknown>]> {
  return [
    ['get', () => store.get('k')],
    ['set', () => store.set('k', { data: { lost: true }, expiresAt: inAnHour(), userId: 'u' })],
    ['touch', () => store.touch('k', inAnHour())],
    ['delete', () => store.delete('k')],
    ['listByUser', () => store.listByUser('u')],
    ['deleteByUser', () => store.deleteByUser('u')],
    ['clear', () => store.clear()],
  ];
}

/** Assert that `work` rejects with UNAVAILABLE (with a cause) within `boundMs`. */
async function expectUnavailableWithin(
  boundMs: number,
  what: string,
  work: () => Promise<unknown>,
) {
  const started = Date.now();
  const outcome = await work().then(
    (value) => ({ resolved: value }),
    (err: unknown) => ({ rejected: err }),
  );
  const took = Date.now() - started;
  expect(outcome, `${what} must not succeed while Redis is down`).toHaveProperty('rejected');
  const err = (outcome as { rejected: unknown }).rejected;
  expect(isSessionError(err, 'UNAVAILABLE'), `${what} rejected with ${String(err)}`).toBe(true);
  expect((err as SessionError).source).toBe('@sessions/redis');
  expect(took, `${what} took ${took} ms`).toBeLessThanOrEqual(boundMs);
}

/** Poll `work` until it succeeds; resolve to how long that took after `since`. */
async function recoveredAfter(since: number, work: () => Promise<unknown>): Promise<number> {
  for (;;) {
    try {
      await work();
      return Date.now() - since;
    } catch (err) {
      if (Date.now() - since > 5000) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A dedicated redis-server for a describe block, up again after each test. */
function dedicatedServer(stores: RedisStore[]): () => RunningServer {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    // A test that failed half-way may leave the server down; the next one needs it up.
    await pingRedis(server.url).catch(() => server.restart());
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => server;
}

describe.skipIf(!redisInstalled()).each(CLIENT_FLAVORS)(
  'failure behaviour (dedicated redis-server), through $name',
  (flavor) => {
    const stores: RedisStore[] = [];
    const serverOf = dedicatedServer(stores);
    const open = async (options: Partial<RedisStoreOptions>, connected = true) => {
      const store = await flavor.open({ url: serverOf().url }, options, connected);
      stores.push(store);
      return store;
    };

    test('a killed server: every operation rejects with UNAVAILABLE within the bound; then the same store recovers', async () => {
      const server = serverOf();
      const store = await open({ namespace: 'killed', operationTimeout: 1000 });
      await store.set('k', { data: { before: true }, expiresAt: inAnHour() });
      await server.kill('SIGKILL');
      for (const [name, work] of everyOperation(store))
        await expectUnavailableWithin(1500, name, work);
      await server.restart();
      const restarted = Date.now();
      expect(await recoveredAfter(restarted, () => store.get('k'))).toBeLessThanOrEqual(1000);
      // Persistence is off: the restarted server is empty, and the failed set stored nothing.
      expect(await store.get('k')).toBeUndefined();
      expect(await store.set('k', { data: { after: true }, expiresAt: inAnHour() })).toEqual({
        version: 1,
      });
    });

    test('a store created and first used while the server is down fails fast, then works', async () => {
      const server = serverOf();
      await server.kill('SIGKILL');
      const store = await open({ namespace: 'born-down', operationTimeout: 1000 }, false);
      for (const [name, work] of everyOperation(store))
        await expectUnavailableWithin(1500, name, work);
      await server.restart();
      expect(await recoveredAfter(Date.now(), () => store.get('k'))).toBeLessThanOrEqual(1000);
    });
  },
);

describe.skipIf(!redisInstalled())(
  'closing a client the store created (dedicated redis-server)',
  () => {
    const stores: RedisStore[] = [];
    const serverOf = dedicatedServer(stores);
    const open = (options: RedisStoreOptions) => {
      const store = new RedisStore(options);
      stores.push(store);
      return store;
    };

    test('close() of a store whose server is down resolves promptly', async () => {
      const server = serverOf();
      const store = open({ url: server.url, namespace: 'closing', operationTimeout: 500 });
      await store.get('k');
      await server.kill('SIGKILL');
      const started = Date.now();
      await store.close();
      expect(Date.now() - started).toBeLessThanOrEqual(1000);
    });

    test('close() of a store whose server is frozen resolves (never UNAVAILABLE) within the bound', async () => {
      const server = serverOf();
      const store = open({ url: server.url, namespace: 'frozen', operationTimeout: 500 });
      await store.get('k');
      process.kill(server.pid as number, 'SIGSTOP');
      try {
        const started = Date.now();
        // QUIT is never answered: the goodbye is given up on, and the connection dropped.
        await store.close();
        expect(Date.now() - started).toBeLessThanOrEqual(500);
      } finally {
        process.kill(server.pid as number, 'SIGCONT');
      }
    });
  },
);

/** A caller's client with its library's defaults (no timeouts of the store's choosing). */
const defaultClients: Array<[string, (url: string) => Promise<RedisStoreClient & object>]> = [
  // ioredis defaults: no commandTimeout, 20 retries per request (many seconds).
  ['ioredis', async (url) => new Redis(url).on('error', () => {})],
  // node-redis defaults: an offline queue without bound, reconnecting up to 2 s apart.
  [
    'node-redis 6',
    (url) =>
      createClient6({ url })
        .on('error', () => {})
        .connect(),
  ],
  [
    'node-redis 5',
    (url) =>
      createClient5({ url })
        .on('error', () => {})
        .connect(),
  ],
];

describe.skipIf(!redisInstalled()).each(defaultClients)(
  "a caller's %s client with its defaults (dedicated redis-server)",
  (_name, connect) => {
    const stores: RedisStore[] = [];
    const serverOf = dedicatedServer(stores);

    test("a caller's client without any timeout is still bounded by operationTimeout", async () => {
      const server = serverOf();
      const client = await connect(server.url);
      try {
        const store = new RedisStore({ client, namespace: 'own-client', operationTimeout: 300 });
        stores.push(store);
        await store.set('k', { data: {}, expiresAt: inAnHour() });
        await server.kill('SIGKILL');
        for (const [name, work] of everyOperation(store))
          await expectUnavailableWithin(800, name, work);
        await server.restart();
        expect(await recoveredAfter(Date.now(), () => store.get('k'))).toBeLessThan(5000);
      } finally {
        if ('isOpen' in client) client.destroy();
        else client.disconnect();
      }
    });

    test('while the client reconnects, operations fail at once, not at the deadline', async () => {
      const server = serverOf();
      const client = await connect(server.url);
      try {
        // A deadline far beyond the bound below: only failing fast can meet it.
        const store = new RedisStore({ client, namespace: 'fast', operationTimeout: 10_000 });
        stores.push(store);
        await store.set('k', { data: {}, expiresAt: inAnHour() });
        await server.kill('SIGKILL');
        // Until the client has seen the connection drop, a call may still wait on it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const noticed = Date.now();
        while (
          (await store.get('k').then(
            () => true,
            () => false,
          )) &&
          Date.now() - noticed < 5000
        )
          await new Promise((resolve) => setTimeout(resolve, 20));
        for (const [name, work] of everyOperation(store))
          await expectUnavailableWithin(1000, name, work);
      } finally {
        if ('isOpen' in client) client.destroy();
        else client.disconnect();
      }
    });
  },
);

describe.each(CLIENT_FLAVORS)(
  'a server that accepts connections but never answers, through $name',
  (flavor) => {
    let silent: Server;
    const sockets: Socket[] = [];
    let port = 0;

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    test('every operation rejects with UNAVAILABLE within operationTimeout, never hangs', async () => {
      const target = { url: `redis://127.0.0.1:${port}` };
      const store = await flavor.open(
        target,
        { namespace: 'silent', operationTimeout: 300 },
        false,
      );
      try {
        for (const [name, work] of everyOperation(store))
          await expectUnavailableWithin(800, name, work);
      } finally {
        await store.close();
      }
    });
  },
);
