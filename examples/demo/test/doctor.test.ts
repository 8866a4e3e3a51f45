// `pnpm doctor` against the demo as `pnpm start` runs it: the store and the app pass (the one
// warning: plain HTTP, fine on localhost only), and the store URL is the demo's own.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctor } from '@sessions/doctor';
import { afterEach, expect, test } from 'vitest';
import { demoDoctorOptions, doctorStoreUrl } from '../src/doctor-target.js';
import { serveDemo } from '../src/serve.js';
import { parseStoreChoice } from '../src/store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('the doctor finds the running demo and its SQLite file healthy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-doctor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // The demo's default store (SQLite in the working directory), with a scratch directory as it.
  const store = parseStoreChoice(undefined, dir);
  const demo = await serveDemo({ port: 0, hostname: '127.0.0.1', store: doctorStoreUrl(store) });
  cleanups.push(() => demo.close());
  const env = { HOST: '127.0.0.1', PORT: new URL(demo.url).port };
  const options = demoDoctorOptions(env, dir);
  expect(options.store).toBe(`sqlite:${join(dir, 'demo-sessions.db')}`);
  const report = await runDoctor(options);
  const statuses = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
  expect(statuses).toMatchObject({
    'sqlite.permissions': 'pass',
    'sqlite.wal': 'pass',
    'sqlite.table': 'pass',
    'store.round-trip': expect.stringMatching(/pass|warn/),
    'http.sets-cookie': 'pass',
    'http.cookie-attributes': 'warn', // plain HTTP on 127.0.0.1: a secure context, nowhere else
    'http.cookie-returns': 'pass',
  });
  expect(report.results.find((r) => r.id === 'http.sets-cookie')?.message).toContain('__Host-sid');
});

test('a SQLite file the demo creates is private to its user', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-doctor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'shop.db');
  const demo = await serveDemo({ port: 0, hostname: '127.0.0.1', store: `sqlite:${file}` });
  cleanups.push(() => demo.close());
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const report = await runDoctor({ store: `sqlite:${file}`, namespace: 'demo' });
  expect(report.results.find((r) => r.id === 'sqlite.permissions')?.status).toBe('pass');
});

test("each SESSION_STORE maps to the doctor's URL for the same store", () => {
  expect(doctorStoreUrl(parseStoreChoice('sqlite:s.db', '/srv'))).toBe('sqlite:/srv/s.db');
  expect(doctorStoreUrl(parseStoreChoice('redis://127.0.0.1:6390'))).toBe('redis://127.0.0.1:6390');
  const dynamo = doctorStoreUrl(parseStoreChoice('dynamodb://127.0.0.1:8000?table=shop'));
  expect(dynamo).toBe(
    process.env.AWS_ACCESS_KEY_ID
      ? 'dynamodb://127.0.0.1:8000?table=shop&region=us-east-1'
      : 'dynamodb://demo:demo@127.0.0.1:8000?table=shop&region=us-east-1',
  );
});
