/**
 * Import a package in a fresh Node process, as a user would (ESM `import()` or CommonJS
 * `require()` of its name), and observe what the import itself did.
 */
import { spawn } from 'node:child_process';

/** How the probe loads the package. */
export type ProbeMode = 'esm' | 'cjs';

/** What one import did. */
export interface ProbeResult {
  /** Why the import failed, if it did (the error's first lines). */
  error: string | undefined;
  /** The exported names (without `default` and `__esModule`), sorted. */
  keys: string[];
  /** Timer functions called while the module loaded (even unref'd timers count). */
  timers: string[];
  /** Handles and requests active after the import that were not before it (sockets, timers...). */
  newResources: string[];
  /** False when the process had to be killed: something kept the event loop alive. */
  exitedByItself: boolean;
}

const MARKER = '__SESSIONS_PROBE__';
/** Short-lived requests that file reads leave behind for a tick; not a side effect. */
const TRANSIENT_RESOURCES = new Set(['FSReqCallback', 'FSReqPromise', 'CloseReq']);
/** After reporting, the process must exit by itself within this long. */
const EXIT_GRACE_MS = 3_000;
/** An import that takes longer than this is reported as hanging. */
const IMPORT_TIMEOUT_MS = 30_000;

// The dependencies are loaded first, so only what the package itself does is observed.
// Their failures are ignored on purpose: a missing optional peer shows up, with a clear
// message, when the package itself is imported.
const SCRIPT = (load: string) => `
(async () => {
  const { specifier, preload } = JSON.parse(process.env.SESSIONS_PROBE);
  const load = ${load};
  for (const dep of preload) { try { await load(dep); } catch {} }
  const timers = [];
  const originals = {};
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    const original = globalThis[name];
    originals[name] = original;
    globalThis[name] = function (...args) { timers.push(name); return original.apply(this, args); };
  }
  // stdout and stderr open their pipes on first use: open them now, so a module that merely
  // looks at them (a color check) is not blamed for the handle.
  void process.stdout; void process.stderr;
  const before = process.getActiveResourcesInfo();
  let mod, error;
  try { mod = await load(specifier); } catch (err) { error = String((err && err.stack) || err).split('\\n').slice(0, 4).join('\\n'); }
  Object.assign(globalThis, originals);
  await new Promise((resolve) => setImmediate(resolve));
  const after = process.getActiveResourcesInfo();
  const keys = mod ? Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule').sort() : [];
  process.stdout.write('${MARKER}' + JSON.stringify({ error, keys, timers, before, after }) + '\\n');
})();
`;

/** `after` minus `before`, as multisets, without transient file requests. */
function addedResources(before: string[], after: string[]): string[] {
  const remaining = [...before];
  return after.filter((resource) => {
    const i = remaining.indexOf(resource);
    if (i >= 0) {
      remaining.splice(i, 1);
      return false;
    }
    return !TRANSIENT_RESOURCES.has(resource);
  });
}

/**
 * Load `specifier` from `cwd` in a child process (so a package can import itself by name
 * through its own exports map) and report what happened.
 *
 * @param preload - modules to load before observing (the package's own dependencies).
 * @example
 * ```ts
 * const result = await probeImport('/repo/packages/redis', '@sessions/redis', 'cjs', ['ioredis']);
 * result.error; // undefined when require() worked
 * ```
 */
export function probeImport(
  cwd: string,
  specifier: string,
  mode: ProbeMode,
  preload: readonly string[] = [],
): Promise<ProbeResult> {
  const args =
    mode === 'esm'
      ? ['--input-type=module', '-e', SCRIPT('(s) => import(s)')]
      : ['-e', SCRIPT('async (s) => require(s)')];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SESSIONS_PROBE: JSON.stringify({ specifier, preload }),
  };
  // A loader from the parent (tsx, vitest) must not change how the package resolves.
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exitedByItself = true;
    const kill = () => {
      exitedByItself = false;
      child.kill('SIGKILL');
    };
    const hangTimer = setTimeout(kill, IMPORT_TIMEOUT_MS);
    let graceTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (graceTimer === undefined && stdout.includes(MARKER) && stdout.endsWith('\n')) {
        clearTimeout(hangTimer);
        graceTimer = setTimeout(kill, EXIT_GRACE_MS);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('close', () => {
      clearTimeout(hangTimer);
      clearTimeout(graceTimer);
      const line = stdout.split(MARKER)[1];
      if (line === undefined) {
        const why = exitedByItself
          ? stderr.trim()
          : `did not finish within ${IMPORT_TIMEOUT_MS} ms`;
        resolve({
          error: why || 'the probe printed nothing',
          keys: [],
          timers: [],
          newResources: [],
          exitedByItself,
        });
        return;
      }
      const report = JSON.parse(line) as {
        error?: string;
        keys: string[];
        timers: string[];
        before: string[];
        after: string[];
      };
      resolve({
        error: report.error,
        keys: report.keys,
        timers: report.timers,
        newResources: addedResources(report.before, report.after),
        exitedByItself,
      });
    });
  });
}
