// What the suite cannot know about PostgreSQL: options, the table the store creates (or does
// not), the stored layout, and prune in bounded batches.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { PAGE_ROWS, PostgresStore, schemaSql } from '../src/index.js';

const url = inject('postgresUrl');

function unique(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

describe('options', () => {
  test.each([
    [{}, /exactly one of url or pool/],
    [{ url: 'mysql://x' }, /url must be a postgres:\/\//],
    [{ url: 'postgres://x', pool: {} }, /exactly one of url or pool/],
    [{ pool: {} }, /pool must be a pg.Pool/],
    [{ url: 'postgres://x', table: 'bad-name' }, /table must match/],
    [{ url: 'postgres://x', poolSize: 0 }, /poolSize must be an integer/],
    [{ url: 'postgres://x', createTable: 'yes' }, /createTable must be one of true, false/],
  ])('%o is a TypeError naming the option', (options, message) => {
    expect(() => new PostgresStore(options as never)).toThrow(message);
  });

  test('a pool of the caller is not ended by close()', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    await new PostgresStore({ pool }).close();
    expect(pool.ended).toBe(false);
    await pool.end();
  });
});

describe.skipIf(!url)('on a server', () => {
  const raw = new pg.Pool({ connectionString: url, max: 2 });
  raw.on('error', () => {});
  afterAll(() => raw.end());

  test('creates its table and indexes, as schemaSql() prints them', async () => {
    const table = unique('t_');
    const store = new PostgresStore({ url, table });
    await store.set('k', { data: { a: 1 }, expiresAt: Date.now() + 60_000, userId: 'ada' });
    const { rows } = await raw.query<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
      [table],
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      `${table}_expires`,
      `${table}_pkey`,
      `${table}_user`,
    ]);
    expect(rows.find((r) => r.indexname.endsWith('_user'))?.indexdef).toContain(
      'WHERE (user_id IS NOT NULL)',
    );
    const stored = await raw.query(`SELECT * FROM "${table}"`);
    expect(stored.rows[0]).toMatchObject({ key: 'k', user_id: 'ada', version: '1' });
    expect((stored.rows[0].data as Buffer).toString('utf8')).toBe('{"a":1}');
    await store.close();
    await raw.query(`DROP TABLE "${table}"`);
  });

  test('createTable: false never creates it, and says what to do', async () => {
    const table = unique('t_');
    const store = new PostgresStore({ url, table, createTable: false });
    await expect(store.get('k')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('schemaSql()'),
    });
    await raw.query(schemaSql(table));
    expect(await store.get('k')).toBeUndefined();
    await store.close();
    await raw.query(`DROP TABLE "${table}"`);
  });

  test('stores any codec output byte for byte, NUL included (data is bytea)', async () => {
    const codec = { name: 'raw', encode: (d: string) => d, decode: (t: string) => t };
    const store = new PostgresStore<string>({ url, namespace: unique('ns'), codec });
    await store.set('k', { data: 'a\u0000b\u00ff€', expiresAt: Date.now() + 60_000 });
    expect((await store.get('k'))?.data).toBe('a\u0000b\u00ff€');
    await store.clear();
    await store.close();
  });

  test('prune deletes expired rows in batches and keeps the live ones', async () => {
    const namespace = unique('pr');
    let now = Date.now();
    const store = new PostgresStore({ url, namespace, clock: () => now, pruneInterval: 0 });
    await raw.query(schemaSql('sessions'));
    const expired = PAGE_ROWS * 2 + 500;
    await raw.query(
      `INSERT INTO "sessions" (namespace, key, data, expires_at, version)
       SELECT $1, 'old-' || i, '\\x7b7d', $2, 1 FROM generate_series(1, $3) AS i`,
      [namespace, now + 1000, expired],
    );
    await store.set('live', { data: {}, expiresAt: now + 60_000 });
    now += 2000;
    expect(await store.prune()).toBe(expired);
    const { rows } = await raw.query('SELECT key FROM "sessions" WHERE namespace = $1', [
      namespace,
    ]);
    expect(rows).toEqual([{ key: 'live' }]);
    await store.clear();
    await store.close();
  });

  test('list and clear page through more rows than one page', async () => {
    const namespace = unique('ls');
    const store = new PostgresStore({ url, namespace, pruneInterval: 0 });
    await store.get('warm');
    const total = PAGE_ROWS + 200;
    await raw.query(
      `INSERT INTO "sessions" (namespace, key, data, expires_at, version)
       SELECT $1, 'k-' || i, '\\x7b7d', $2, 1 FROM generate_series(1, $3) AS i`,
      [namespace, Date.now() + 60_000, total],
    );
    expect((await store.list()).length).toBe(total);
    await store.clear();
    expect(await store.list()).toEqual([]);
    await store.close();
  });
});
