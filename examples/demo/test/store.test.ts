// SESSION_STORE parsing, and the default: a SQLite file in the working directory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { describeChoice, openStore, parseStoreChoice, tuningFromEnv } from '../src/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('each backend URL picks its store', () => {
  expect(parseStoreChoice(undefined, '/srv/shop')).toEqual({
    kind: 'sqlite',
    file: '/srv/shop/demo-sessions.db',
  });
  expect(parseStoreChoice('  ', '/srv')).toMatchObject({ kind: 'sqlite' });
  expect(parseStoreChoice('sqlite:data/s.db', '/srv')).toEqual({
    kind: 'sqlite',
    file: '/srv/data/s.db',
  });
  expect(parseStoreChoice('redis://127.0.0.1:6400/2')).toEqual({
    kind: 'redis',
    url: 'redis://127.0.0.1:6400/2',
  });
  expect(parseStoreChoice('mongodb://127.0.0.1:27018/shop')).toMatchObject({ kind: 'mongodb' });
  expect(parseStoreChoice('postgres://app@127.0.0.1:5433/shop')).toEqual({
    kind: 'postgres',
    url: 'postgres://app@127.0.0.1:5433/shop',
  });
  expect(parseStoreChoice('dynamodb://127.0.0.1:8123?table=shop&region=eu-west-1')).toEqual({
    kind: 'dynamodb',
    endpoint: 'http://127.0.0.1:8123',
    table: 'shop',
    region: 'eu-west-1',
  });
  expect(parseStoreChoice('dynamodb://localhost:8000')).toMatchObject({
    table: 'demo-sessions',
    region: 'us-east-1',
  });
});

test('anything else is refused with the accepted forms', () => {
  for (const spec of ['mysql://x', 'sqlite:', 'dynamodb://', 'memory']) {
    expect(() => parseStoreChoice(spec)).toThrow(/redis:\/\/host:port/);
  }
});

test('MONGODB_EXPIRY_MODE tunes the MongoDB store, and nothing else is accepted', () => {
  expect(tuningFromEnv({})).toEqual({});
  expect(tuningFromEnv({ MONGODB_EXPIRY_MODE: 'prune' })).toEqual({ mongoExpiryMode: 'prune' });
  expect(() => tuningFromEnv({ MONGODB_EXPIRY_MODE: 'never' })).toThrow(/ttl-index, prune or both/);
});

test('the description names the server, never a password', () => {
  const choice = parseStoreChoice('redis://user:s3cret@cache.internal:6400');
  expect(describeChoice(choice)).toBe('Redis at cache.internal:6400');
});

test('by default, sessions go to demo-sessions.db in the working directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-store-'));
  dirs.push(dir);
  const store = await openStore(parseStoreChoice(undefined, dir));
  try {
    const { version } = await store.set('k1', { data: { a: 1 }, expiresAt: Date.now() + 60_000 });
    expect(version).toBe(1);
    expect((await store.get('k1'))?.data).toEqual({ a: 1 });
  } finally {
    await store.close();
  }
  expect(existsSync(join(dir, 'demo-sessions.db'))).toBe(true);
});
