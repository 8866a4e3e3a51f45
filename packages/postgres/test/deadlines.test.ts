// What the store does when PostgreSQL does not answer in time: a statement stuck behind a row
// lock is cancelled on the server at the deadline (not left holding a connection), an exhausted
// pool is UNAVAILABLE within operationTimeout, and nothing is written late.
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { PostgresStore, schemaSql } from '../src/index.js';

const url = inject('postgresUrl');
const TIMEOUT = 300;

function namespace(): string {
  return `dl${randomBytes(6).toString('hex')}`;
}

describe.skipIf(!url)('deadlines', () => {
  const raw = new pg.Pool({ connectionString: url, max: 4 });
  raw.on('error', () => {});
  afterAll(() => raw.end());

  async function waitingStatements(ns: string): Promise<number> {
    const { rows } = await raw.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND wait_event_type = 'Lock'
       AND query LIKE '%"sessions"%' AND pid <> pg_backend_pid() AND $1::text IS NOT NULL`,
      [ns],
    );
    return Number(rows[0]?.n);
  }

  test('a write stuck behind a row lock fails at the deadline, is cancelled on the server, and never lands', async () => {
    // The caller's pool, without statement_timeout and with one connection: only the store's
    // cancel can end the stuck statement and give the connection back.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    const ns = namespace();
    const store = new PostgresStore({ pool, namespace: ns, operationTimeout: TIMEOUT });
    const locker = await raw.connect();
    try {
      await raw.query(schemaSql('sessions'));
      const expiresAt = Date.now() + 60_000;
      await store.set('held', { data: { n: 1 }, expiresAt });
      await locker.query('BEGIN');
      await locker.query(
        `SELECT 1 FROM "sessions" WHERE namespace = $1 AND key = 'held' FOR UPDATE`,
        [ns],
      );

      const started = performance.now();
      const error = await store.set('held', { data: { n: 2 }, expiresAt }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(performance.now() - started).toBeLessThan(TIMEOUT + 2000);

      // The server stops waiting for the lock: the statement was cancelled, not abandoned.
      await expect.poll(() => waitingStatements(ns), { timeout: 5000 }).toBe(0);
      // The one connection is free again: another key is served while the lock is still held.
      await store.set('other', { data: { n: 3 }, expiresAt });
      await locker.query('COMMIT');
      // The timed-out write never landed, even now that the lock is gone.
      expect((await store.get('held'))?.data).toEqual({ n: 1 });
    } finally {
      locker.release();
      await store.clear();
      await store.close();
      await pool.end();
    }
  });

  test('an exhausted pool is UNAVAILABLE within operationTimeout, and serves again once freed', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    const store = new PostgresStore({ pool, namespace: namespace(), operationTimeout: TIMEOUT });
    await store.get('warm');
    const hog = await pool.connect();
    try {
      const started = performance.now();
      const calls = [store.get('a'), store.set('b', { data: {}, expiresAt: Date.now() + 60_000 })];
      const results = await Promise.allSettled(calls);
      for (const result of results) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'UNAVAILABLE' } });
      }
      expect(performance.now() - started).toBeLessThan(TIMEOUT + 2000);
    } finally {
      hog.release();
    }
    // The write that timed out waiting for a connection was never sent.
    expect(await store.get('b')).toBeUndefined();
    await store.close();
    await pool.end();
  });

  test('a pool the store opens bounds the wait for a connection the same way', async () => {
    const store = new PostgresStore({
      url,
      namespace: namespace(),
      poolSize: 1,
      operationTimeout: TIMEOUT,
    });
    await store.get('warm');
    const hog = await store.pool.connect();
    try {
      await expect(store.get('a')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      hog.release();
    }
    expect(await store.get('a')).toBeUndefined();
    await store.close();
  });
});

// A server that stops answering, as seen from the network: the kernel completes the TCP
// handshake and nothing ever replies (what a SIGSTOP-ed PostgreSQL looks like to a client).
describe('a server that stops answering', () => {
  test('costs the pool the store opens at most poolSize connection attempts, not more per deadline', async () => {
    const sockets = new Set<Socket>();
    let attempts = 0;
    const silent = createServer((socket) => {
      attempts++;
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = new PostgresStore({
      url: `postgres://sessions@127.0.0.1:${port}/sessions`,
      createTable: false,
      poolSize: 2,
      operationTimeout: 100,
    });
    try {
      // Six deadlines' worth of operations: an attempt abandoned at each deadline would have
      // opened about a dozen connections by the end.
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        // Settled at once: the calls fail while later ones are still being issued.
        calls.push(
          store.get(`k${i}`).then(
            (value) => ({ value }),
            (error: unknown) => error,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const outcome of await Promise.all(calls)) {
        expect(outcome).toMatchObject({ code: 'UNAVAILABLE' });
      }
      expect(attempts).toBeGreaterThan(0);
      expect(attempts).toBeLessThanOrEqual(2);
    } finally {
      // Resetting the attempts ends them, so the pool can end.
      for (const socket of sockets) socket.destroy();
      await store.close().catch(() => {});
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
