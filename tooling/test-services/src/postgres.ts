/**
 * PostgreSQL for tests: a cluster of its own, `initdb`'d into the server's scratch directory,
 * listening on a free loopback port with its Unix socket in that directory too, `fsync` off.
 * PostgreSQL refuses to run as root, so when the tests do (CI), `initdb` and `postgres` run as
 * `nobody` through `setpriv`, which replaces itself with the server (a kill reaches the server,
 * not a wrapper). `POSTGRES_URL` points the tests at an existing server instead. The machine's
 * own PostgreSQL (5432) is never used.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { reportMissingBackend } from './backends.js';
import { type RunningServer, type ServerSpec, startServer } from './launcher.js';
import { which } from './which.js';

/** The command that installs PostgreSQL on Debian/Ubuntu. */
export const POSTGRES_INSTALL = 'apt-get install -y postgresql';

/**
 * The part of vitest's `TestProject` that {@link setupPostgres} uses. Typed structurally
 * because this package does not depend on vitest; the consuming package declares the key:
 *
 * ```ts
 * declare module 'vitest' {
 *   export interface ProvidedContext { postgresUrl: string | undefined }
 * }
 * ```
 */
export interface PostgresUrlProvider {
  provide(key: 'postgresUrl', value: string | undefined): void;
}

/**
 * The folder holding `initdb` and `postgres`: `POSTGRES_BIN_DIR` when set (undefined if they are
 * not there); else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian keeps them off PATH); else PATH; else undefined.
 */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return existsSync(join(fromEnv, 'postgres')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  const server = which('postgres');
  return server && which('initdb') ? join(server, '..') : undefined;
}

// PostgreSQL refuses root; `nobody:nogroup` owns the scratch directory and runs the server.
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const DROP_ROOT = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];

function unprivileged(cmd: string, args: string[]): { cmd: string; args: string[] } {
  return asRoot ? { cmd: 'setpriv', args: [...DROP_ROOT, cmd, ...args] } : { cmd, args };
}

/** Resolve when the server at `url` answers `SELECT 1`; reject otherwise. */
export async function pingPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/** How to run a throwaway PostgreSQL cluster (the `initdb` runs once per scratch directory). */
export const postgresSpec: ServerSpec = {
  name: 'postgres',
  command(port, dir) {
    const bin = postgresBinDir();
    if (bin === undefined) throw new Error(`PostgreSQL is not installed (${POSTGRES_INSTALL})`);
    const data = join(dir, 'data');
    // `command` runs again on every restart, with the same directory: initialise once.
    if (!existsSync(join(data, 'PG_VERSION'))) {
      if (asRoot) chownSync(dir, NOBODY, NOBODY);
      const init = unprivileged(join(bin, 'initdb'), [
        ...['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
        '--no-sync',
      ]);
      execFileSync(init.cmd, init.args, { cwd: dir, stdio: 'pipe' });
    }
    const flags = ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-F'];
    // Many short-lived pools: the conformance suite builds a fresh store (and pool) per check.
    const settings = ['-c', 'max_connections=300', '-c', 'shared_buffers=32MB'];
    return unprivileged(join(bin, 'postgres'), [...flags, ...settings]);
  },
  url: (port) => `postgres://postgres@127.0.0.1:${port}/postgres`,
  ping: pingPostgres,
  readyTimeoutMs: 60_000,
};

/** Whether this machine can run the PostgreSQL test server. */
export function postgresInstalled(): boolean {
  return postgresBinDir() !== undefined && (!asRoot || which('setpriv') !== undefined);
}

/**
 * Start a throwaway PostgreSQL (on `port`, default a free one), for tests that kill and
 * restart it. Its data survives a restart (it is on disk, in the scratch directory).
 *
 * @example
 * ```ts
 * const server = await startPostgres();
 * await server.kill();    // connections are refused now
 * await server.restart(); // same port, same data
 * await server.stop();
 * ```
 */
export function startPostgres(port?: number): Promise<RunningServer> {
  return startServer(postgresSpec, port);
}

/**
 * Vitest globalSetup helper: provides `postgresUrl`. Uses `POSTGRES_URL` when set; else starts
 * a throwaway PostgreSQL; else (not installed) reports the backend missing and provides
 * `undefined`. Returns the teardown.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupPostgres } from '@sessions/test-services/postgres';
 * export default (project: TestProject) => setupPostgres(project);
 * ```
 */
export async function setupPostgres(project: PostgresUrlProvider): Promise<() => Promise<void>> {
  const fromEnv = process.env.POSTGRES_URL;
  if (fromEnv) {
    project.provide('postgresUrl', fromEnv);
    return async () => {};
  }
  if (!postgresInstalled()) {
    const what = postgresBinDir() === undefined ? 'initdb and postgres' : 'setpriv (util-linux)';
    reportMissingBackend('postgres', `${what} not found`, POSTGRES_INSTALL);
    project.provide('postgresUrl', undefined);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
