// FerretDB from the launcher: built on first use (or taken from the cache) and served; without
// Go, a listed skip (or a failure when every backend is required), never a crash.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { missingBackends, reportMissingBackend } from '../src/backends.js';
import {
  detectMongoServer,
  FERRETDB_INSTALL,
  findFerretDb,
  pingMongo,
  setupMongo,
} from '../src/ferretdb.js';
import { which } from '../src/which.js';

/** A first build on a cold machine takes minutes (7 on 2 busy cores): the bound of go-build.ts. */
const FIRST_BUILD_MS = 21 * 60_000;
const canBuild = which('go') !== undefined;
if (!canBuild)
  reportMissingBackend(
    'mongodb',
    'go is not on PATH (FerretDB is built with it)',
    FERRETDB_INSTALL,
  );

/** What a global setup's `project.provide` was given. */
function provider() {
  const provided: { mongoUrl?: string | undefined } = {};
  return {
    provided,
    provide(key: 'mongoUrl', value: string | undefined) {
      provided[key] = value;
    },
  };
}

// Each test sets exactly the variables it is about; the rest of the run keeps its own.
const saved: Record<string, string | undefined> = {};
const VARS = ['PATH', 'MONGODB_URL', 'FERRETDB_BIN', 'SESSIONS_REQUIRE_ALL_BACKENDS'];
const scratch: string[] = [];
beforeEach(() => {
  for (const name of VARS) saved[name] = process.env[name];
  delete process.env.MONGODB_URL;
  delete process.env.FERRETDB_BIN;
  delete process.env.SESSIONS_REQUIRE_ALL_BACKENDS;
  const reports = mkdtempSync(join(tmpdir(), 'sessions-reports-'));
  scratch.push(reports);
  process.env.SESSIONS_MISSING_BACKENDS_DIR = reports;
});
afterEach(() => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  delete process.env.SESSIONS_MISSING_BACKENDS_DIR;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('without Go and without a FerretDB build', () => {
  beforeEach(() => {
    // No go, and no ferretdb either, anywhere on PATH.
    process.env.PATH = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => !existsSync(join(dir, 'go')) && !existsSync(join(dir, 'ferretdb')))
      .join(delimiter);
  });
  const emptyCache = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-ferretdb-cache-'));
    scratch.push(dir);
    return dir;
  };

  test('the MongoDB tests are a listed skip, with the command that installs Go', async () => {
    const project = provider();
    const teardown = await setupMongo(project, { cacheDir: emptyCache() });
    expect(project.provided).toEqual({ mongoUrl: undefined });
    expect(missingBackends()).toEqual([
      {
        backend: 'mongodb',
        reason: 'go is not on PATH, so FerretDB (the MongoDB-wire test server) cannot be built',
        install: FERRETDB_INSTALL,
      },
    ]);
    expect(FERRETDB_INSTALL).toMatch(/go\.dev\/dl/);
    await teardown();
  });

  test('with SESSIONS_REQUIRE_ALL_BACKENDS=1 it fails instead, saying how to fix it', async () => {
    process.env.SESSIONS_REQUIRE_ALL_BACKENDS = '1';
    await expect(setupMongo(provider(), { cacheDir: emptyCache() })).rejects.toThrow(
      /mongodb is required \(SESSIONS_REQUIRE_ALL_BACKENDS=1\) but go is not on PATH[\s\S]*go\.dev\/dl/,
    );
    expect(missingBackends()).toEqual([]);
  });
});

describe.skipIf(!canBuild)('with Go', () => {
  test(
    'setupMongo builds FerretDB the first time (cached afterwards), starts it and provides its URL',
    async () => {
      const project = provider();
      const teardown = await setupMongo(project);
      try {
        const url = project.provided.mongoUrl;
        expect(url).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
        await pingMongo(url as string);
        expect(await detectMongoServer(url as string)).toMatchObject({
          kind: 'ferretdb',
          version: 'v1.24.2',
          expiryMode: 'prune',
        });
        expect(missingBackends()).toEqual([]);
        // Test files find the same build without building (they run after the global setup).
        expect(basename(findFerretDb() ?? '')).toMatch(/^ferretdb-[0-9a-f]{16}$/);
      } finally {
        await teardown();
      }
    },
    FIRST_BUILD_MS,
  );
});
