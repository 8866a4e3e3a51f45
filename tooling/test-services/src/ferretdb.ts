/**
 * A MongoDB-wire server for tests: FerretDB v1.24.2 on its SQLite backend, in a scratch
 * directory, on a free loopback port, with telemetry and its debug HTTP listener off. Built
 * with Go the first time a test run needs it, and cached until its sources change (the way
 * DynamoDB Local comes from npm). `MONGODB_URL` points the tests at an existing server (a real
 * MongoDB) instead.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { reportMissingBackend } from './backends.js';
import { cachedGoBinary, ensureGoBinary, type GoBinary } from './go-build.js';
import { type RunningServer, type ServerSpec, startServer } from './launcher.js';
import { which } from './which.js';

/** The FerretDB release the tests are written against. */
export const FERRETDB_VERSION = 'v1.24.2';

/**
 * What makes the MongoDB tests run on a machine without FerretDB: Go, with which the test
 * launcher builds FerretDB from tooling/test-services/ferretdb (our own small main module over
 * FerretDB's embeddable package) the first time it is needed. A plain
 * `go install …/cmd/ferretdb@v1.24.2` builds a binary that panics at start-up ("Invalid
 * build/version/version.txt file content"): FerretDB's init() expects its build scripts to have
 * generated that file whenever FerretDB is the main module.
 */
export const FERRETDB_INSTALL =
  'Go 1.24 or later from https://go.dev/dl/ (pnpm test then builds FerretDB by itself)';

/** The Go module the launcher (and `pnpm setup:ferretdb`) builds FerretDB from. */
export const FERRETDB_SOURCE = fileURLToPath(new URL('../ferretdb', import.meta.url));

/** Where built FerretDB binaries are kept, one per hash of {@link FERRETDB_SOURCE}. */
export const FERRETDB_CACHE = join(FERRETDB_SOURCE, 'bin');

/** Where `pnpm setup:ferretdb` puts the binary (used as it is only when Go is missing). */
export const FERRETDB_BUILT = join(FERRETDB_CACHE, 'ferretdb');

/** Where to keep FerretDB builds: {@link FERRETDB_CACHE} unless a test picks another folder. */
export interface FerretDbOptions {
  /** The cache folder (default {@link FERRETDB_CACHE}); `<cacheDir>/ferretdb` is the fallback. */
  cacheDir?: string;
}

/** The launcher's build of FerretDB, into `cacheDir`. */
export function ferretDbBuild(options: FerretDbOptions = {}): GoBinary {
  return {
    name: 'ferretdb',
    sourceDir: FERRETDB_SOURCE,
    cacheDir: options.cacheDir ?? FERRETDB_CACHE,
    progress: 'building FerretDB for the MongoDB tests (first run only, 1 to 7 min)...',
  };
}

/**
 * The part of vitest's `TestProject` that {@link setupMongo} uses. Typed structurally because
 * this package does not depend on vitest; the consuming package declares the provided key:
 *
 * ```ts
 * declare module 'vitest' {
 *   export interface ProvidedContext { mongoUrl: string | undefined }
 * }
 * ```
 */
export interface MongoUrlProvider {
  provide(key: 'mongoUrl', value: string | undefined): void;
}

/** What {@link detectMongoServer} found out about a server. */
export interface MongoServerInfo {
  /** `ferretdb` when `buildInfo` reports a `ferretdbVersion`, else `mongodb`. */
  kind: 'ferretdb' | 'mongodb';
  /** FerretDB's own version (e.g. `v1.24.2`), or MongoDB's. */
  version: string;
  /**
   * The expiry mode a `MongoDBStore` can use there: FerretDB 1.x refuses TTL indexes, so
   * `prune`; a real MongoDB has them, so `ttl-index`.
   */
  expiryMode: 'ttl-index' | 'prune';
}

/** A short-lived client for probes: fails fast instead of waiting 30 s for a server. */
function probeClient(url: string): MongoClient {
  return new MongoClient(url, {
    serverSelectionTimeoutMS: 1000,
    connectTimeoutMS: 1000,
    maxPoolSize: 1,
  });
}

/** Resolve when the server at `url` answers a real `ping` command; reject otherwise. */
export async function pingMongo(url: string): Promise<void> {
  const client = probeClient(url);
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

/**
 * Ask the server at `url` what it is (`buildInfo`), and so which expiry mode suits it.
 *
 * @example
 * ```ts
 * const { expiryMode } = await detectMongoServer(inject('mongoUrl'));
 * const store = new MongoDBStore({ url, expiryMode });
 * ```
 */
export async function detectMongoServer(url: string): Promise<MongoServerInfo> {
  const client = probeClient(url);
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = info.ferretdbVersion;
    if (typeof ferret === 'string') {
      // FerretDB 2.x (on PostgreSQL with DocumentDB) has TTL indexes; 1.x does not.
      const ttl = !/^v?1\./.test(ferret);
      return { kind: 'ferretdb', version: ferret, expiryMode: ttl ? 'ttl-index' : 'prune' };
    }
    return { kind: 'mongodb', version: String(info.version), expiryMode: 'ttl-index' };
  } finally {
    await client.close();
  }
}

/**
 * The FerretDB binary to run, without building one: `FERRETDB_BIN`, else the launcher's build
 * for the current sources, else `pnpm setup:ferretdb`'s, else `ferretdb` on PATH; undefined when
 * none is executable. A test file can call it: the global setup ({@link setupMongo}) has built
 * FerretDB by then.
 */
export function findFerretDb(options: FerretDbOptions = {}): string | undefined {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) return which(fromEnv);
  const build = ferretDbBuild(options);
  return cachedGoBinary(build) ?? which(join(build.cacheDir, 'ferretdb')) ?? which('ferretdb');
}

/** What {@link prepareFerretDb} found: a binary that works, or why there is none. */
export type FerretDbLookup =
  | { binary: string; problem?: undefined }
  | { binary?: undefined; problem: string; install: string };

/**
 * A FerretDB binary that works, building it when Go is here and the current sources have no
 * build yet (printing one progress line; concurrent callers wait for one build). Without Go,
 * an older build or `ferretdb` on PATH still serves. Never throws: says what is wrong instead.
 */
export async function prepareFerretDb(options: FerretDbOptions = {}): Promise<FerretDbLookup> {
  let binary: string | undefined;
  if (process.env.FERRETDB_BIN) {
    binary = which(process.env.FERRETDB_BIN);
    if (!binary) {
      const problem = `FERRETDB_BIN (${process.env.FERRETDB_BIN}) is not an executable file`;
      return { problem, install: 'unset FERRETDB_BIN to build FerretDB from source' };
    }
  } else if (which('go')) {
    try {
      binary = (await ensureGoBinary(ferretDbBuild(options))).binary;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // The report holds one line; the whole of go's output goes to the terminal.
      process.stderr.write(`${message}\n`);
      const problem = `building FerretDB failed: ${message.split('\n').at(-1)?.trim()}`;
      return { problem, install: 'pnpm setup:ferretdb (shows the whole go build error)' };
    }
  } else {
    binary = findFerretDb(options);
    if (!binary) {
      const problem =
        'go is not on PATH, so FerretDB (the MongoDB-wire test server) cannot be built';
      return { problem, install: FERRETDB_INSTALL };
    }
  }
  const problem = ferretDbProblem(binary);
  return problem ? { problem, install: FERRETDB_INSTALL } : { binary };
}

/**
 * Why `binary` cannot serve the tests (it does not start, or is not v1.24.x), or undefined
 * when `--version` answers as expected. Catches the panicking `go install` build early, with a
 * message that says how to build one that works.
 */
export function ferretDbProblem(binary: string): string | undefined {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) {
    const firstLine =
      output.split('\n').find((line) => line.trim() !== '') ?? run.error?.message ?? 'no output';
    return `${binary} --version failed (${firstLine.trim()})`;
  }
  if (!/version: v1\.24\./.test(output)) return `${binary} is not FerretDB v1.24.x`;
  return undefined;
}

/** How to run FerretDB `binary` for tests. */
export function ferretDbSpec(binary: string): ServerSpec {
  return {
    name: 'ferretdb',
    command: (port, dir) => ({
      cmd: binary,
      args: [
        '--handler=sqlite',
        // A directory URI: one SQLite file per database inside the scratch dir.
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--state-dir=${dir}`,
        '--telemetry=disable',
        // The debug/metrics HTTP listener defaults to 127.0.0.1:8088: parallel runs would clash.
        '--debug-addr=-',
        '--log-level=error',
      ],
    }),
    url: (port) => `mongodb://127.0.0.1:${port}/`,
    ping: pingMongo,
    readyTimeoutMs: 30_000,
  };
}

/**
 * Start FerretDB (on `port`, default a free one) for tests that kill and restart it. Its
 * SQLite files stay in the scratch directory across `kill()`/`restart()`, so data survives a
 * restart; `stop()` removes them. Builds FerretDB first when needed (see
 * {@link prepareFerretDb}); rejects when no runnable binary can be had.
 *
 * @example
 * ```ts
 * const server = await startFerretDb();
 * await server.kill();    // connections are refused now
 * await server.restart(); // same port, same data
 * await server.stop();
 * ```
 */
export async function startFerretDb(
  port?: number,
  options: FerretDbOptions = {},
): Promise<RunningServer> {
  const found = await prepareFerretDb(options);
  if (found.problem !== undefined) throw new Error(`${found.problem}. To fix: ${found.install}`);
  return startServer(ferretDbSpec(found.binary), port);
}

/**
 * Vitest globalSetup helper: provides `mongoUrl`. Uses `MONGODB_URL` when set (a real
 * MongoDB, say); else starts FerretDB, building it on the first run (see
 * {@link prepareFerretDb}); else (no Go, a failed build, a broken binary) reports the backend
 * missing and provides `undefined`, or throws when SESSIONS_REQUIRE_ALL_BACKENDS=1. Returns the
 * teardown. Use {@link detectMongoServer} to pick the store's expiry mode for whichever server
 * it is.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupMongo } from '@sessions/test-services/ferretdb';
 * export default (project: TestProject) => setupMongo(project);
 * ```
 */
export async function setupMongo(
  project: MongoUrlProvider,
  options: FerretDbOptions = {},
): Promise<() => Promise<void>> {
  const fromEnv = process.env.MONGODB_URL;
  if (fromEnv) {
    project.provide('mongoUrl', fromEnv);
    return async () => {};
  }
  const found = await prepareFerretDb(options);
  if (found.problem !== undefined) {
    reportMissingBackend('mongodb', found.problem, found.install);
    project.provide('mongoUrl', undefined);
    return async () => {};
  }
  const server = await startServer(ferretDbSpec(found.binary));
  project.provide('mongoUrl', server.url);
  return () => server.stop();
}
