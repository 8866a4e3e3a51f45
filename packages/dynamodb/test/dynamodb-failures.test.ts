// Failure behaviour: a hung request is cancelled at the deadline; the emulator killed and
// restarted (in memory: the table is gone) is survived by the same store instance.
import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isSessionError, type SessionStore } from '@sessions/core';
import { freePort } from '@sessions/test-services';
import { startDynamoLocal } from '@sessions/test-services/dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamoDBStore } from '../src/index.js';
import { endpoint, testClientConfig, watchUnhandledRejections } from './support.js';

/** Assert that `action` rejects with UNAVAILABLE (with a cause) within `boundMs`. */
async function expectUnavailableWithin(boundMs: number, action: () => Promise<unknown>) {
  const started = Date.now();
  const err = await action().then(
    (value) => new Error(`resolved to ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  const elapsed = Date.now() - started;
  expect(isSessionError(err, 'UNAVAILABLE'), String(err)).toBe(true);
  expect((err as Error).cause).toBeDefined();
  expect(elapsed).toBeLessThanOrEqual(boundMs);
  return err as Error;
}

/** Every contract operation, once. */
const everyOperation = (store: SessionStore) => [
  () => store.get('k'),
  () => store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000 }),
  () => store.touch('k', Date.now() + 60_000),
  () => store.delete('k'),
  () => store.listByUser('u'),
  () => store.deleteByUser('u'),
];

describe.skipIf(!endpoint)('failures', () => {
  test('a request to a server that never answers is cancelled at operationTimeout', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    const hung = createServer((socket) => {
      sockets.add(socket);
      // Read (and drop) what arrives, or the end of the connection would never be noticed.
      socket.resume();
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as { port: number };
    const store = new DynamoDBStore({
      clientConfig: testClientConfig({ endpoint: `http://127.0.0.1:${port}` }),
      operationTimeout: 300,
    });
    const err = await expectUnavailableWithin(1000, () => store.get('k'));
    expect((err.cause as Error).name).toBe('TimeoutError');
    // The abort really cancelled the request: the client closed its connection.
    await expect.poll(() => closed, { timeout: 2000 }).toBeGreaterThan(0);
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hung.close(resolve));
  });

  test('a refused connection fails the operations queued behind it at once, with it as the cause', async () => {
    const unhandled = watchUnhandledRejections();
    // Nothing listens on this port.
    const store = new DynamoDBStore({
      clientConfig: testClientConfig({ endpoint: `http://127.0.0.1:${await freePort()}` }),
      createTable: false,
    });
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 2000 }, (_, i) =>
        store.set(`k${i}`, { data: { i }, expiresAt: Date.now() + 60_000 }),
      ),
    );
    // Far less than 2,000 / 64 in flight x the SDK's retry backoff: the queue was turned away.
    expect(Date.now() - started).toBeLessThan(2000);
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason;
      expect(isSessionError(reason, 'UNAVAILABLE')).toBe(true);
      expect(reason.cause).toMatchObject({ code: 'ECONNREFUSED' });
    }
    expect(unhandled.stop()).toEqual([]);
    await store.close();
  });

  test('a queue the backend cannot serve in time is turned away early, not all at the deadline', async () => {
    // Two in flight and a 1 s bound for 2,000 reads: most of them cannot start in time.
    const store = new DynamoDBStore({
      clientConfig: testClientConfig(),
      operationTimeout: 1000,
      maxInFlight: 2,
    });
    await store.ensureTable();
    const outcomes = await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        const started = performance.now();
        const error = await store.get(`k${i}`).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        return { error, waited: performance.now() - started };
      }),
    );
    const shed = outcomes.filter(
      ({ error }) => (error?.cause as Error | undefined)?.name === 'OverloadError',
    );
    expect(outcomes.some(({ error }) => error === undefined)).toBe(true);
    expect(shed.length).toBeGreaterThan(0);
    for (const { error } of outcomes)
      if (error) expect(isSessionError(error, 'UNAVAILABLE')).toBe(true);
    // Turned away as soon as the queue knew, well before the bound...
    expect(Math.min(...shed.map(({ waited }) => waited))).toBeLessThan(800);
    // ...so that no operation waited much past it.
    expect(Math.max(...outcomes.map(({ waited }) => waited))).toBeLessThan(1400);
    await store.close();
  });

  test('killed emulator: UNAVAILABLE within 2 s; restarted empty: the same store recreates the table', async () => {
    const unhandled = watchUnhandledRejections();
    const server = await startDynamoLocal();
    try {
      const store = new DynamoDBStore({ clientConfig: testClientConfig({ endpoint: server.url }) });
      await store.set('k', { data: { n: 1 }, expiresAt: Date.now() + 60_000, userId: 'u' });
      await server.kill();
      for (const operation of everyOperation(store)) await expectUnavailableWithin(2000, operation);
      // A store created and first used while the server is down.
      const late = new DynamoDBStore({ clientConfig: testClientConfig({ endpoint: server.url }) });
      await expectUnavailableWithin(2000, () => late.get('k'));
      await server.restart();
      const back = Date.now();
      await store.set('k', { data: { n: 2 }, expiresAt: Date.now() + 60_000 });
      console.log(`first write after the restart (table recreated): ${Date.now() - back} ms`);
      expect((await store.get('k'))?.data).toEqual({ n: 2 });
      expect(await late.get('k')).toMatchObject({ data: { n: 2 }, version: 1 });
      await Promise.all([store.close(), late.close()]);
      expect(unhandled.stop()).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 180_000);
});
