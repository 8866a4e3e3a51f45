/**
 * Builds a Go main module the first time a test run needs it and keeps the binary, named after
 * a hash of its sources, so it is rebuilt only when they change.
 *
 * Several test processes may ask at once (vitest global setups of different packages): one
 * builds, under a lock file in the cache directory, and the others wait for it. The binary is
 * written to a temporary file and renamed into place, so nobody ever runs a half-written one.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { which } from './which.js';

/** A Go main module to build, and where to keep what it builds. */
export interface GoBinary {
  /** File name stem: the binary is `<cacheDir>/<name>-<source hash>`. */
  name: string;
  /** The module to build (the folder holding go.mod and the main package). */
  sourceDir: string;
  /** Where binaries are kept; created when missing. */
  cacheDir: string;
  /** The one line printed when a build starts, e.g. `building FerretDB (first run only)...`. */
  progress: string;
  /** Where progress lines go (default: standard error). */
  log?: (line: string) => void;
  /** Give up on `go build` after this long (default 20 min: a cold build on 2 busy cores took 7). */
  timeoutMs?: number;
}

/** What {@link ensureGoBinary} found or made. */
export interface GoBuildResult {
  /** The absolute path of the binary for the current sources. */
  binary: string;
  /** Whether this call ran `go build` (false: it was cached, or another process built it). */
  built: boolean;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** The sources that decide the binary: go.mod, go.sum and every .go file, outside dot-folders. */
function sourceFiles(dir: string, skip: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.') || resolve(path) === skip) continue;
    if (entry.isDirectory()) files.push(...sourceFiles(path, skip));
    else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) files.push(path);
  }
  return files;
}

/**
 * A short hash of the module's sources and the platform it is built for: the key of the cache.
 */
export function goSourceHash(spec: Pick<GoBinary, 'sourceDir' | 'cacheDir'>): string {
  const hash = createHash('sha256').update(`${process.platform}-${process.arch}\0`);
  const files = sourceFiles(spec.sourceDir, resolve(spec.cacheDir)).sort();
  for (const file of files) {
    hash
      .update(`${relative(spec.sourceDir, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the binary for the current sources lives (whether or not it is built yet). */
export function goBinaryPath(spec: GoBinary): string {
  return join(spec.cacheDir, `${spec.name}-${goSourceHash(spec)}`);
}

/** The binary built from the current sources, or undefined when it is not built yet. */
export function cachedGoBinary(spec: GoBinary): string | undefined {
  if (!existsSync(spec.sourceDir)) return undefined;
  const path = goBinaryPath(spec);
  return existsSync(path) ? path : undefined;
}

/** Whether process `pid` still runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the build lock, or say who holds it. A lock whose process is gone (a build killed
 * half-way) is removed, so the next attempt can take it.
 */
function tryLock(lock: string): { taken: true } | { taken: false; holder: string } {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return { taken: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let text = '';
  let age = 0;
  try {
    text = readFileSync(lock, 'utf8');
    age = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return { taken: false, holder: 'another process' }; // released meanwhile: try again
  }
  const pid = Number.parseInt(text, 10);
  // An empty lock is one being written right now, unless it has stayed empty for a while.
  const stale = Number.isInteger(pid) ? !alive(pid) : age > 10_000;
  if (stale) rmSync(lock, { force: true });
  return { taken: false, holder: Number.isInteger(pid) ? `process ${pid}` : 'another process' };
}

/** Run `go build` into `out`; reject with go's output when it fails or takes too long. */
function goBuild(spec: GoBinary, out: string, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // -buildvcs=false: the module sits inside the project's git checkout, and stamping its VCS
    // state fails where git cannot read it (no git, another owner) while adding nothing here.
    const child = spawn('go', ['build', '-buildvcs=false', '-o', out, '.'], {
      cwd: spec.sourceDir,
      // Go keeps its caches under HOME; a task runner that filters the environment may drop it.
      env: { ...process.env, HOME: process.env.HOME ?? homedir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise();
      const why = signal ? `killed by ${signal} after ${timeoutMs} ms` : `exit ${code}`;
      reject(new Error(`go build failed in ${spec.sourceDir} (${why}):\n${output.trim()}`));
    });
  });
}

/** Remove what an earlier build left: older binaries of this name and temporary files. */
function prune(spec: GoBinary, keep: string): void {
  const pattern = new RegExp(`^(${spec.name}-[0-9a-f]{16}|\\.${spec.name}-.*\\.tmp)$`);
  for (const file of readdirSync(spec.cacheDir)) {
    const path = join(spec.cacheDir, file);
    if (path !== keep && pattern.test(file)) rmSync(path, { force: true });
  }
}

/**
 * The binary for the current sources: the cached one, else one built now (printing
 * `spec.progress` once), else the one another process is building (waiting for it). Rejects
 * when Go is not on PATH and nothing is cached, or when the build fails (with go's output).
 *
 * @example
 * ```ts
 * const { binary } = await ensureGoBinary({
 *   name: 'ferretdb',
 *   sourceDir: 'tooling/test-services/ferretdb',
 *   cacheDir: 'tooling/test-services/ferretdb/bin',
 *   progress: 'building FerretDB (first run only)...',
 * });
 * ```
 */
export async function ensureGoBinary(spec: GoBinary): Promise<GoBuildResult> {
  const target = goBinaryPath(spec);
  if (existsSync(target)) return { binary: target, built: false };
  if (!which('go')) throw new Error(`go is not on PATH, so ${spec.name} cannot be built`);
  const log = spec.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  mkdirSync(spec.cacheDir, { recursive: true });
  const lock = join(spec.cacheDir, `.${spec.name}.lock`);
  // A waiter gives the builder its whole timeout, plus time to rename and let go.
  const giveUpAt = Date.now() + timeoutMs + 60_000;
  let waiting = false;
  for (;;) {
    if (existsSync(target)) return { binary: target, built: false };
    const attempt = tryLock(lock);
    if (attempt.taken) {
      try {
        // Built by the process that held the lock just before us.
        if (existsSync(target)) return { binary: target, built: false };
        const temp = join(spec.cacheDir, `.${spec.name}-${process.pid}.tmp`);
        log(spec.progress);
        try {
          await goBuild(spec, temp, timeoutMs);
          renameSync(temp, target);
        } finally {
          rmSync(temp, { force: true });
        }
        prune(spec, target);
        return { binary: target, built: true };
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (!waiting) {
      waiting = true;
      log(`waiting for ${attempt.holder}, which is building ${spec.name}...`);
    }
    if (Date.now() > giveUpAt) {
      throw new Error(`gave up waiting for ${attempt.holder} to build ${spec.name} (${lock})`);
    }
    await sleep(200);
  }
}
