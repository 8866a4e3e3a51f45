/**
 * Starts a real server binary for tests: on a free loopback port, ready only after a real
 * readiness check (a ping, never a sleep), stopped afterwards. Every backend's test server
 * goes through here, so they all behave the same.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to run one kind of server. */
export interface ServerSpec {
  /** Short name used in logs and reports, e.g. `redis`. */
  name: string;
  /** The command and its arguments for a given port and scratch directory. */
  command(port: number, dir: string): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** The URL clients use for a given port. */
  url(port: number): string;
  /** Resolve when the server answers a real request; reject otherwise. Called repeatedly. */
  ping(url: string): Promise<void>;
  /** How long to keep pinging before giving up (default 30 s). */
  readyTimeoutMs?: number;
}

/** A server started by {@link startServer}. */
export interface RunningServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** The scratch directory the server may write to (removed by `stop()`). */
  readonly dir: string;
  /** The current process id (changes on restart). */
  readonly pid: number | undefined;
  /**
   * Send a signal (default SIGKILL). A signal that ends a process waits for it to exit (a
   * stopped one is continued so that it can); one that stops, continues or is ignored by
   * default (SIGSTOP, SIGCONT, ...) returns at once, the process still there.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port (after `kill`), and wait until ready. */
  restart(): Promise<void>;
  /** Kill the server and remove its scratch directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Signals whose default action does not end a process: it stops, continues or ignores them.
 * Waiting for an exit after one of these would wait forever.
 */
const NON_TERMINATING = new Set<NodeJS.Signals>([
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGCONT',
  'SIGCHLD',
  'SIGURG',
  'SIGWINCH',
]);
const STOPPING = new Set<NodeJS.Signals>(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

/** A free TCP port on 127.0.0.1, as the OS hands it out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Poll `ping` until it succeeds or `timeoutMs` passes; `alive()` false aborts early. */
export async function waitUntilReady(
  name: string,
  ping: () => Promise<void>,
  timeoutMs: number,
  alive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${name} exited before it was ready`, { cause: lastError });
    try {
      await ping();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} was not ready after ${timeoutMs} ms`, { cause: lastError });
}

/**
 * Start a server from `spec` on `port` (default: a free one) and wait until it answers.
 * Its output is kept and printed if it fails to start.
 */
export async function startServer(spec: ServerSpec, port?: number): Promise<RunningServer> {
  const chosenPort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), `sessions-${spec.name}-`));
  const url = spec.url(chosenPort);
  let child: ChildProcess | undefined;
  let exited = true;
  // Set by kill('SIGSTOP') and friends: a stopped process acts on no signal but SIGKILL.
  let paused = false;
  let output = '';

  const launch = async () => {
    const { cmd, args, env } = spec.command(chosenPort, dir);
    output = '';
    exited = false;
    paused = false;
    child = spawn(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', (err) => {
      exited = true;
      output += `\n${err.message}`;
    });
    try {
      await waitUntilReady(
        spec.name,
        () => spec.ping(url),
        spec.readyTimeoutMs ?? 30_000,
        () => !exited,
      );
    } catch (err) {
      await kill('SIGKILL');
      throw new Error(`${spec.name} did not start on port ${chosenPort}:\n${output}`, {
        cause: err,
      });
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    if (!proc || exited) return;
    if (NON_TERMINATING.has(signal)) {
      proc.kill(signal);
      if (STOPPING.has(signal)) paused = true;
      else if (signal === 'SIGCONT') paused = false;
      return;
    }
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
      // A stopped process keeps the signal pending until it runs again.
      if (paused) proc.kill('SIGCONT');
    });
  };

  await launch();
  let stopped = false;
  return {
    name: spec.name,
    port: chosenPort,
    url,
    dir,
    get pid() {
      return child?.pid;
    },
    kill,
    restart: launch,
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
