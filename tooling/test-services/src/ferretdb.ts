/**
 * A MongoDB-wire server for tests: FerretDB v1.24.2 on its SQLite backend, in a scratch
 * directory, on a free loopback port, with telemetry and its debug HTTP listener off.
 * `MONGODB_URL` points the tests at an existing server (a real MongoDB) instead.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { reportMissingBackend } from './backends.js';
import { type RunningServer, type ServerSpec, startServer } from './launcher.js';
import { which } from './which.js';

/** The FerretDB release the tests are written against. */
export const FERRETDB_VERSION = 'v1.24.2';

/**
 * How to build FerretDB so that it runs: `pnpm setup:ferretdb` builds
 * tooling/test-services/ferretdb (our own small main module over FerretDB's embeddable
 * package). A plain `go install …/cmd/ferretdb@v1.24.2` builds a binary that panics at start-up
 * ("Invalid build/version/version.txt file content"): FerretDB's init() expects its build
 * scripts to have generated that file whenever FerretDB is the main module.
 */
export const FERRETDB_INSTALL = 'pnpm setup:ferretdb';

/** Where `pnpm setup:ferretdb` puts the binary. */
export const FERRETDB_BUILT = fileURLToPath(new URL('../ferretdb/bin/ferretdb', import.meta.url));

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
   * The expiry mode a `MongoStore` can use there: FerretDB 1.x refuses TTL indexes, so
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
 * const store = new MongoStore({ url, expiryMode });
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
 * The FerretDB binary to run: `FERRETDB_BIN`, else the one `pnpm setup:ferretdb` built, else
 * `ferretdb` on PATH, else `$(go env GOPATH)/bin/ferretdb`; undefined when none is executable.
 */
export function findFerretDb(): string | undefined {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) return which(fromEnv);
  const built = which(FERRETDB_BUILT);
  if (built) return built;
  const onPath = which('ferretdb');
  if (onPath) return onPath;
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 10_000 });
  const gopath = go.status === 0 ? go.stdout.trim().split(':')[0] : undefined;
  return gopath ? which(join(gopath, 'bin', 'ferretdb')) : undefined;
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
 * restart; `stop()` removes them. Throws when no runnable binary is found.
 *
 * @example
 * ```ts
 * const server = await startFerretDb();
 * await server.kill();    // connections are refused now
 * await server.restart(); // same port, same data
 * await server.stop();
 * ```
 */
export function startFerretDb(port?: number): Promise<RunningServer> {
  const binary = findFerretDb();
  if (!binary) throw new Error(`FerretDB is not installed. Build it with: ${FERRETDB_INSTALL}`);
  const problem = ferretDbProblem(binary);
  if (problem) throw new Error(`${problem}. Build a working one with: ${FERRETDB_INSTALL}`);
  return startServer(ferretDbSpec(binary), port);
}

/**
 * Vitest globalSetup helper: provides `mongoUrl`. Uses `MONGODB_URL` when set (a real
 * MongoDB, say); else starts FerretDB; else (missing or broken binary) reports the backend
 * missing and provides `undefined`. Returns the teardown. Use {@link detectMongoServer} to pick
 * the store's expiry mode for whichever server it is.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupMongo } from '@sessions/test-services/ferretdb';
 * export default (project: TestProject) => setupMongo(project);
 * ```
 */
export async function setupMongo(project: MongoUrlProvider): Promise<() => Promise<void>> {
  const fromEnv = process.env.MONGODB_URL;
  if (fromEnv) {
    project.provide('mongoUrl', fromEnv);
    return async () => {};
  }
  const binary = findFerretDb();
  const problem = binary ? ferretDbProblem(binary) : 'ferretdb is not installed';
  if (!binary || problem) {
    reportMissingBackend('mongodb', problem ?? 'ferretdb is not installed', FERRETDB_INSTALL);
    project.provide('mongoUrl', undefined);
    return async () => {};
  }
  const server = await startServer(ferretDbSpec(binary));
  project.provide('mongoUrl', server.url);
  return () => server.stop();
}
