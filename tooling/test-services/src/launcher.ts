/**
 * Starts a real server binary for tests: on a free loopback port, ready only after a real
 * readiness check (a ping, never a sleep), stopped afterwards. Every backend's test server
 * goes through here, so they all behave the same.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  /**
   * The current process id (changes on restart). The server runs in a process group of its
   * own whose id is this pid: its helpers and per-connection workers (PostgreSQL's backends,
   * a JVM's threads, a wrapper's child) are all in it.
   */
  readonly pid: number | undefined;
  /**
   * Send a signal (default SIGKILL) to the server's whole process group, so that it reaches
   * every process of the server. A signal that ends a process waits for the server to exit
   * (a stopped one is continued so that it can); one that stops, continues or is ignored by
   * default (SIGSTOP, SIGCONT, ...) returns at once, the processes still there.
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

/** The processes descended from `pid` (children, their children...), from /proc; none elsewhere. */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

function signalIgnoringGone(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Send `signal` to every process of a server started by {@link startServer}: its process group
 * (led by `pid`), then every descendant. The group alone is not enough: PostgreSQL puts each
 * backend in a session of its own (`setsid`), so the postmaster can signal it separately.
 * The group goes first: a stopped or killed parent forks no more children, so passes over the
 * descendants until none is new catch any forked meanwhile.
 * Processes already gone are not an error: there is nothing left to signal.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // For a signal that ends processes, the children are listed first: a killed parent's are
  // re-parented and no longer found. Any other goes to the group at once (listing them takes
  // milliseconds, in which a server answers a whole burst the harness meant to catch).
  // A SIGKILL stops the group first, so the server answers nothing more while they are listed.
  if (signal === 'SIGKILL') signalIgnoringGone(-pid, 'SIGSTOP');
  const done = new Set(NON_TERMINATING.has(signal) ? [] : descendants(pid));
  signalIgnoringGone(-pid, signal);
  for (const child of done) signalIgnoringGone(child, signal);
  for (;;) {
    const fresh = descendants(pid).filter((child) => !done.has(child));
    if (fresh.length === 0) return;
    for (const child of fresh) {
      done.add(child);
      signalIgnoringGone(child, signal);
    }
  }
}

/**
 * Process groups of the servers still running. A server in a group of its own no longer gets
 * the terminal's Ctrl-C, so a test process that exits without stopping one kills it here.
 */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

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
      // A process group of its own (pgid = pid): a signal to -pid reaches every process of
      // the server, not only the one we started (PostgreSQL forks a backend per connection).
      detached: true,
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    child.on('exit', () => {
      exited = true;
      if (pid !== undefined) liveGroups.delete(pid);
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
    if (!proc || exited || proc.pid === undefined) return;
    const pid = proc.pid;
    if (NON_TERMINATING.has(signal)) {
      signalGroup(pid, signal);
      if (STOPPING.has(signal)) paused = true;
      else if (signal === 'SIGCONT') paused = false;
      return;
    }
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      signalGroup(pid, signal);
      // A stopped process keeps the signal pending until it runs again.
      if (paused) signalGroup(pid, 'SIGCONT');
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
