// The launcher itself: free ports, a real readiness check, kill and restart on the same port,
// and the missing-backend report.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  freePort,
  missingBackends,
  type RunningServer,
  reportMissingBackend,
  resetMissingBackends,
  type ServerSpec,
  startServer,
} from '../src/index.js';

/** A tiny HTTP server run by node itself: the "binary" under test. */
const echoSpec: ServerSpec = {
  name: 'echo',
  command: (port) => ({
    cmd: process.execPath,
    args: [
      '-e',
      `require('node:http').createServer((q, s) => s.end('pong')).listen(${port}, '127.0.0.1')`,
    ],
  }),
  url: (port) => `http://127.0.0.1:${port}/`,
  ping: (url) =>
    new Promise((resolve, reject) => {
      request(url, (res) => {
        res.resume();
        res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`));
      })
        .on('error', reject)
        .end();
    }),
  readyTimeoutMs: 10_000,
};

/** `echoSpec.ping` with a bound: a stopped server accepts the connection but never answers. */
function pingWithin(url: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: ms }, (res) => {
      res.resume();
      res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ms} ms`)));
    req.on('error', reject);
    req.end();
  });
}

// Reports from these tests go to a scratch folder, not to the report of the run they are in.
const reports = mkdtempSync(join(tmpdir(), 'sessions-reports-'));
beforeAll(() => {
  process.env.SESSIONS_MISSING_BACKENDS_DIR = reports;
});
afterAll(() => {
  delete process.env.SESSIONS_MISSING_BACKENDS_DIR;
  rmSync(reports, { recursive: true, force: true });
});

const started: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  resetMissingBackends();
});

test('freePort hands out a loopback port that can be bound', async () => {
  const port = await freePort();
  expect(port).toBeGreaterThan(1024);
});

test('a server is ready only when it answers, and comes back on the same port', async () => {
  const server = await startServer(echoSpec);
  started.push(server);
  await expect(echoSpec.ping(server.url)).resolves.toBeUndefined();
  await server.kill('SIGKILL');
  await expect(echoSpec.ping(server.url)).rejects.toThrow();
  await server.restart();
  await expect(echoSpec.ping(server.url)).resolves.toBeUndefined();
  expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  await server.stop();
  expect(existsSync(server.dir)).toBe(false);
});

test('SIGSTOP and SIGCONT return at once; a terminating signal still waits for the exit', async () => {
  const server = await startServer(echoSpec);
  started.push(server);
  const pid = server.pid;

  let t = Date.now();
  await server.kill('SIGSTOP');
  expect(Date.now() - t).toBeLessThan(1000);
  expect(server.pid).toBe(pid);
  await expect(pingWithin(server.url, 500)).rejects.toThrow(/no answer/);

  t = Date.now();
  await server.kill('SIGCONT');
  expect(Date.now() - t).toBeLessThan(1000);
  await expect(pingWithin(server.url, 5000)).resolves.toBeUndefined();

  // SIGTERM to a stopped process stays pending until it runs again: kill() continues it.
  await server.kill('SIGSTOP');
  t = Date.now();
  await server.kill('SIGTERM');
  expect(Date.now() - t).toBeLessThan(2000);
  await expect(pingWithin(server.url, 500)).rejects.toThrow();
  expect(() => process.kill(pid as number, 0)).toThrow(/ESRCH/);

  await server.restart();
  await expect(pingWithin(server.url, 5000)).resolves.toBeUndefined();
});

/**
 * A server whose requests are answered by a child of the process the launcher starts, as
 * PostgreSQL's backends are forked by the postmaster. The child answers with its pid.
 */
const forkingSpec: ServerSpec = {
  ...echoSpec,
  name: 'forking',
  command: (port) => {
    const worker = `require('node:http').createServer((q, s) => s.end(String(process.pid))).listen(${port}, '127.0.0.1')`;
    return {
      cmd: process.execPath,
      args: [
        '-e',
        `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(worker)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`,
      ],
    };
  },
};

/** The pid the forking server's worker answers with. */
function workerPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve(Number(body)));
    })
      .on('error', reject)
      .end();
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('signals reach every process of the server, not only the one started', async () => {
  const server = await startServer(forkingSpec);
  started.push(server);
  const worker = await workerPid(server.url);
  expect(worker).not.toBe(server.pid);

  // The worker is frozen with its parent: the server as a whole stops answering.
  await server.kill('SIGSTOP');
  await expect(pingWithin(server.url, 500)).rejects.toThrow(/no answer/);
  await server.kill('SIGCONT');
  await expect(pingWithin(server.url, 5000)).resolves.toBeUndefined();

  // A kill leaves no worker behind (a left-over PostgreSQL backend blocks the restart).
  await server.kill('SIGKILL');
  await expect.poll(() => isRunning(worker), { timeout: 5000 }).toBe(false);
  await server.restart();
  await expect(pingWithin(server.url, 5000)).resolves.toBeUndefined();
});

test('a binary that exits is reported with its output, not waited for', async () => {
  const broken: ServerSpec = {
    ...echoSpec,
    name: 'broken',
    command: () => ({
      cmd: process.execPath,
      args: ['-e', 'console.error("boom"); process.exit(3)'],
    }),
  };
  await expect(startServer(broken)).rejects.toThrow(/broken did not start[\s\S]*boom/);
});

test('missing backends are listed with their install command, or fail when required', () => {
  const before = process.env.SESSIONS_REQUIRE_ALL_BACKENDS;
  try {
    delete process.env.SESSIONS_REQUIRE_ALL_BACKENDS;
    reportMissingBackend('fakedb', 'fakedb-server is not on PATH', 'apt-get install fakedb');
    expect(missingBackends()).toContainEqual({
      backend: 'fakedb',
      reason: 'fakedb-server is not on PATH',
      install: 'apt-get install fakedb',
    });
    process.env.SESSIONS_REQUIRE_ALL_BACKENDS = '1';
    expect(() => reportMissingBackend('fakedb', 'missing', 'install it')).toThrow(/required/);
  } finally {
    if (before === undefined) delete process.env.SESSIONS_REQUIRE_ALL_BACKENDS;
    else process.env.SESSIONS_REQUIRE_ALL_BACKENDS = before;
  }
});
