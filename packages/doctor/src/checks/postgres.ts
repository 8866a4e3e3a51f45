/**
 * PostgreSQL: the table and the indexes `@sessions/postgres` creates (`schemaSql`), clock skew
 * and a round trip through `PostgresStore` (with `createTable: false`: the doctor looks, it
 * never repairs).
 */
import type { Pool } from 'pg';
import { load } from '../load.js';
import type { CheckResult } from '../types.js';
import { clockSkew } from './clock-skew.js';
import { describeError, fail, pass } from './result.js';
import { roundTripThrough } from './round-trip.js';
import type { StoreCheckContext } from './store-context.js';

/** The indexes the store relies on, by the columns they lead with, and what each serves. */
const REQUIRED_INDEXES = [
  { name: 'primary key', columns: '(namespace, key)', unique: true, serves: 'every get and set' },
  { name: 'expiry', columns: '(namespace, expires_at)', unique: false, serves: 'the prune' },
  { name: 'user', columns: '(namespace, user_id)', unique: false, serves: '"log out everywhere"' },
] as const;

/** The table exists, and each index the store needs is on it (by definition, any name). */
export async function checkSchema(pool: Pool, table: string): Promise<CheckResult[]> {
  const fix = `apply schemaSql('${table}') from @sessions/postgres, or let the store create it (createTable: true)`;
  const found = await pool.query<{ oid: string | null }>('SELECT to_regclass($1) AS oid', [
    `"${table}"`,
  ]);
  if (found.rows[0]?.oid == null) {
    return [fail('postgres.table', `the table "${table}" does not exist`, fix)];
  }
  const { rows } = await pool.query<{ indexdef: string }>(
    'SELECT pg_get_indexdef(indexrelid) AS indexdef FROM pg_index WHERE indrelid = to_regclass($1)',
    [`"${table}"`],
  );
  const missing = REQUIRED_INDEXES.filter(
    (index) =>
      !rows.some(
        ({ indexdef }) =>
          indexdef.includes(index.columns) &&
          (!index.unique || indexdef.startsWith('CREATE UNIQUE')),
      ),
  );
  const results = [pass('postgres.table', `the table "${table}" exists`)];
  if (missing.length > 0) {
    const names = missing.map((i) => `${i.name} ${i.columns}, for ${i.serves}`).join('; ');
    results.push(fail('postgres.indexes', `missing index: ${names} (full scans)`, fix));
  } else {
    results.push(pass('postgres.indexes', 'the primary key and the expiry and user indexes exist'));
  }
  return results;
}

/** Every PostgreSQL check, on a one-connection pool made from `url`. */
export async function postgresChecks(
  url: string,
  table: string | undefined,
  context: StoreCheckContext,
): Promise<CheckResult[]> {
  const pg = await load('pg', () => import('pg'));
  const { PostgresStore, DEFAULT_TABLE } = await load(
    '@sessions/postgres',
    () => import('@sessions/postgres'),
  );
  const { Pool } = (pg as unknown as { default?: typeof pg }).default ?? pg;
  const pool = new Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: context.timeout,
    query_timeout: context.timeout,
  });
  pool.on('error', () => {});
  try {
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      return [context.unreachable(describeError(error))];
    }
    const name = table ?? DEFAULT_TABLE;
    const results = await checkSchema(pool, name);
    results.push(
      await clockSkew(async () => {
        const { rows } = await pool.query<{ ms: number }>(
          'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms',
        );
        return Number(rows[0]?.ms);
      }, context.clock),
    );
    if (results.some((r) => r.id === 'postgres.table' && r.status === 'fail')) return results;
    results.push(
      await roundTripThrough(
        new PostgresStore({
          pool,
          table: name,
          createTable: false,
          ...context.storeOptions,
        }),
        context.clock,
      ),
    );
    return results;
  } finally {
    await pool.end();
  }
}
