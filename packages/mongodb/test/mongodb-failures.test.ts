// The server goes away and comes back: operations fail fast and typed, and the same store
// instance works again once the server is back. Runs on a private FerretDB it can kill.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomKey } from '@sessions/conformance';
import { isSessionError, type SessionError } from '@sessions/core';
import { type RunningServer, reportMissingBackend } from '@sessions/test-services';
import {
  FERRETDB_INSTALL,
  ferretDbProblem,
  findFerretDb,
  startFerretDb,
} from '@sessions/test-services/ferretdb';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MongoDBStore, type SessionDocument } from '../src/index.js';
import { TEST_DB } from './support.js';

const binary = findFerretDb();
const problem = binary ? ferretDbProblem(binary) : 'ferretdb is not installed';
// These tests kill their own server, so they need FerretDB even when MONGODB_URL is set. Then
// the global setup did not look for it: a missing one is reported here (and fails the run under
// SESSIONS_REQUIRE_ALL_BACKENDS=1). Without MONGODB_URL the global setup reported it already.
if (problem && process.env.MONGODB_URL) reportMissingBackend('mongodb', problem, FERRETDB_INSTALL);
const runnable = problem === undefined;
/** The store's default bound, plus scheduling slack on a busy machine. */
const BOUND_MS = 2_000 + 250;

/** Run `call` and check it rejects UNAVAILABLE, with the driver error as cause, within the bound. */
async function expectUnavailable(what: string, call: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const error = (await call().then(
    (value) => new Error(`${what} resolved to ${JSON.stringify(value)}`),
    (err: unknown) => err,
  )) as SessionError;
  const waited = Date.now() - started;
  expect(isSessionError(error, 'UNAVAILABLE'), `${what}: ${String(error)}`).toBe(true);
  expect(error.cause, `${what} has no cause`).toBeInstanceOf(Error);
  expect(waited, `${what} waited ${waited} ms`).toBeLessThanOrEqual(BOUND_MS);
}

/** Poll `call` until it succeeds; resolves to how long that took after `since`. */
async function recoveredAfter(since: number, call: () => Promise<unknown>): Promise<number> {
  for (;;) {
    try {
      await call();
      return Date.now() - since;
    } catch (err) {
      if (!isSessionError(err, 'UNAVAILABLE')) throw err;
      if (Date.now() - since > 10_000) throw err;
      await sleep(25);
    }
  }
}

describe.skipIf(!runnable)('server outage (private FerretDB)', () => {
  let server: RunningServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startFerretDb();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.stop();
    expect(unhandled).toEqual([]);
  });

  test('killed server: every operation rejects UNAVAILABLE within the bound; the same store recovers', async () => {
    const store = new MongoDBStore({ url: server.url, dbName: TEST_DB, expiryMode: 'prune' });
    const key = randomKey();
    const later = () => Date.now() + 60_000;
    await store.set(key, { data: { n: 1 }, expiresAt: later(), userId: 'u1' });
    await server.kill();
    await expectUnavailable('get', () => store.get(key));
    await expectUnavailable('set', () => store.set(key, { data: { n: 2 }, expiresAt: later() }));
    await expectUnavailable('set ifVersion', () =>
      store.set(key, { data: {}, expiresAt: later() }, { ifVersion: 1 }),
    );
    await expectUnavailable('touch', () => store.touch(key, later()));
    await expectUnavailable('delete', () => store.delete(key));
    await expectUnavailable('listByUser', () => store.listByUser('u1'));
    await expectUnavailable('deleteByUser', () => store.deleteByUser('u1'));
    await expectUnavailable('prune', () => store.prune());
    await server.restart();
    const took = await recoveredAfter(Date.now(), () => store.get(key));
    expect(took).toBeLessThanOrEqual(1_500);
    // Nothing written while the server was down: the record is as it was.
    expect(await store.get(key)).toMatchObject({ data: { n: 1 }, version: 1, userId: 'u1' });
    await store.close();
  });

  test('a store created and first used while the server is down works once it is back', async () => {
    await server.kill();
    const store = new MongoDBStore({
      url: server.url,
      dbName: TEST_DB,
      collection: 'late',
      expiryMode: 'prune',
    });
    await expectUnavailable('first get', () => store.get(randomKey()));
    await expectUnavailable('first set', () =>
      store.set(randomKey(), { data: {}, expiresAt: Date.now() + 60_000 }),
    );
    await server.restart();
    await recoveredAfter(Date.now(), () =>
      store.set('k', { data: { ok: 1 }, expiresAt: Date.now() + 60_000 }),
    );
    expect((await store.get('k'))?.data).toEqual({ ok: 1 });
    await store.close();
  });

  test('a failing background prune reaches onBackgroundError, and the prune goes on', async () => {
    const errors: Error[] = [];
    const store = new MongoDBStore({
      url: server.url,
      dbName: TEST_DB,
      collection: 'background',
      expiryMode: 'prune',
      pruneInterval: 50,
      onBackgroundError: (error) => errors.push(error),
    });
    await store.ensureIndexes();
    await server.kill();
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThan(0);
    const first = errors[0] as SessionError;
    expect(isSessionError(first, 'UNAVAILABLE'), String(first)).toBe(true);
    await server.restart();
    // The timer was not stopped by the failures: it keeps pruning once the server is back.
    const key = randomKey();
    await recoveredAfter(Date.now(), () =>
      store.set(key, { data: {}, expiresAt: Date.now() + 100 }),
    );
    const client = new MongoClient(server.url);
    const collection = client.db(TEST_DB).collection<SessionDocument>('background');
    try {
      await expect
        .poll(() => collection.findOne({ _id: `sessions/${key}` }), { timeout: 5_000 })
        .toBeNull();
    } finally {
      await client.close();
      await store.close();
    }
  });

  test("a caller's client with driver defaults is bounded by operationTimeout too", async () => {
    // No short timeouts here: the driver alone would wait 30 s for server selection.
    const client = new MongoClient(server.url);
    const store = new MongoDBStore({ client, dbName: TEST_DB, expiryMode: 'prune' });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
    await server.kill();
    await expectUnavailable('get with a default client', () => store.get('k'));
    await server.restart();
    await recoveredAfter(Date.now(), () => store.get('k'));
    await store.close();
    await client.close();
  });
});
