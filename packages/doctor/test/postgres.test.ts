// PostgreSQL checks against the test server: a table PostgresStore created passes; a missing
// index or table fails.
import { PostgresStore } from '@sessions/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runDoctor } from '../src/index.js';
import { result, unique } from './support.js';

const url = inject('postgresUrl');

describe.skipIf(!url)('postgres', () => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const tables: string[] = [];

  /** A fresh table, created the way the store creates it. */
  async function storeTable(): Promise<string> {
    const table = unique('doctor');
    tables.push(table);
    const store = new PostgresStore({ url: url as string, table, namespace: 'app' });
    await store.set('k', { data: {}, expiresAt: Date.now() + 60_000 });
    await store.close();
    return table;
  }
  beforeAll(async () => {
    await admin.query('SELECT 1');
  });
  afterAll(async () => {
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    await admin.end();
  });

  test('a table made by PostgresStore passes every check', async () => {
    const table = await storeTable();
    const report = await runDoctor({ store: `${url}?table=${table}`, namespace: 'app' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['postgres.table', 'pass'],
      ['postgres.indexes', 'pass'],
      ['store.clock-skew', 'pass'],
      ['store.round-trip', expect.stringMatching(/pass|warn/)],
    ]);
    expect(report.ok).toBe(true);
  });

  test('a table without its user index fails postgres.indexes', async () => {
    const table = await storeTable();
    await admin.query(`DROP INDEX "${table}_user"`);
    const report = await runDoctor({ store: `${url}?table=${table}` });
    const indexes = result(report, 'postgres.indexes');
    expect(indexes).toMatchObject({ status: 'fail', fix: expect.stringContaining('schemaSql') });
    expect(indexes.message).toContain('(namespace, user_id)');
    expect(indexes.message).not.toContain('expires_at');
    // The doctor looked and did not repair: the index is still missing.
    const again = await runDoctor({ store: `${url}?table=${table}` });
    expect(result(again, 'postgres.indexes').status).toBe('fail');
  });

  test('a missing table fails postgres.table and is not created', async () => {
    const table = unique('doctor_missing');
    const report = await runDoctor({ store: `${url}?table=${table}` });
    expect(result(report, 'postgres.table').status).toBe('fail');
    expect(report.results.some((r) => r.id === 'store.round-trip')).toBe(false);
    const { rows } = await admin.query('SELECT to_regclass($1) AS oid', [`"${table}"`]);
    expect(rows[0].oid).toBeNull();
  });

  test('a clock a minute off fails the skew check', async () => {
    const table = await storeTable();
    const report = await runDoctor({
      store: `${url}?table=${table}`,
      clock: () => Date.now() + 60_000,
    });
    expect(result(report, 'store.clock-skew')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('behind by'),
    });
  });
});
