// The shared conformance suite, in full, against a real PostgreSQL: stores that open their own
// pool from a URL, and stores sharing one pool of the caller's.
import { describeStore } from '@sessions/conformance/vitest';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { PostgresStore, schemaSql } from '../src/index.js';
import { postgresRaw } from './support/raw.js';

const url = inject('postgresUrl');
// 200 read-modify-write loops on one session through a pool of 10 connections wait in the
// pool's queue between their read and their write, so most reads are stale by the time the
// write runs, and one loop can lose 200 races in a row (a measured failure, not a lost
// update). 50 keep the check meaningful, as for MongoDB.
const manager = { inFlight: 50 };
const pool = new pg.Pool({ connectionString: url, max: 20 });
pool.on('error', () => {});
afterAll(() => pool.end());
// Raw access may run before any store operation: the table exists from the start.
if (url) await pool.query(schemaSql('sessions'));

describe.skipIf(!url)('postgres', () => {
  describeStore(
    {
      name: 'postgres (url)',
      capabilities: { nativeExpiry: 'none' },
      create: ({ namespace, clock, codec }) =>
        new PostgresStore({ url, namespace, clock, codec, pruneInterval: 0 }),
      raw: (_store, { namespace }) => postgresRaw(pool, namespace),
    },
    { manager },
  );

  describeStore(
    {
      name: 'postgres (shared pool)',
      capabilities: { nativeExpiry: 'none' },
      create: ({ namespace, clock, codec }) =>
        new PostgresStore({ pool, namespace, clock, codec, pruneInterval: 0 }),
      raw: (_store, { namespace }) => postgresRaw(pool, namespace),
    },
    { manager },
  );
});
