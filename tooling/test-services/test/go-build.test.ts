// The cached Go build (go-build.ts) on a tiny real Go module, built by the real `go`: built
// once and reused (even without Go), rebuilt when a source changes, a failed build leaves
// nothing behind, and two processes asking at once get one build.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { reportMissingBackend } from '../src/backends.js';
import { FERRETDB_INSTALL } from '../src/ferretdb.js';
import { ensureGoBinary, type GoBinary } from '../src/go-build.js';
import { which } from '../src/which.js';

const go = which('go');
if (!go)
  reportMissingBackend(
    'mongodb',
    'go is not on PATH (FerretDB is built with it)',
    FERRETDB_INSTALL,
  );

const BUILD_MS = 180_000;
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** PATH without any folder that holds a `go`. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !existsSync(join(dir, 'go')))
    .join(delimiter);
}

/** Run `fn` with PATH set to `path`, restoring it afterwards. */
async function withPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.PATH;
  process.env.PATH = path;
  try {
    return await fn();
  } finally {
    process.env.PATH = before;
  }
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A Go main module that prints `message`, and a cache folder, in a scratch directory. */
function helloModule(message: string): GoBinary & { lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'sessions-go-build-'));
  scratch.push(dir);
  const sourceDir = join(dir, 'hello');
  mkdirSync(sourceDir);
  writeFileSync(join(sourceDir, 'go.mod'), 'module example.test/hello\n\ngo 1.21\n');
  writeMain(sourceDir, message);
  const lines: string[] = [];
  return {
    name: 'hello',
    sourceDir,
    cacheDir: join(dir, 'cache'),
    progress: 'building hello...',
    log: (line) => lines.push(line),
    lines,
  };
}

function writeMain(sourceDir: string, message: string): void {
  const main = `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(${JSON.stringify(message)}) }\n`;
  writeFileSync(join(sourceDir, 'main.go'), main);
}

const run = (binary: string) => execFileSync(binary, { encoding: 'utf8' }).trim();

describe.skipIf(!go)('a Go binary built on first use', () => {
  test(
    'is built once with one progress line, then reused even with no Go on PATH',
    async () => {
      const spec = helloModule('hello v1');
      const first = await ensureGoBinary(spec);
      expect(first.built).toBe(true);
      expect(spec.lines).toEqual(['building hello...']);
      expect(run(first.binary)).toBe('hello v1');
      const builtAt = statSync(first.binary).mtimeMs;

      const second = await withPath(pathWithoutGo(), () => ensureGoBinary(spec));
      expect(second).toEqual({ binary: first.binary, built: false });
      expect(statSync(second.binary).mtimeMs).toBe(builtAt);
      expect(spec.lines).toHaveLength(1);
      expect(readdirSync(spec.cacheDir)).toEqual([first.binary.split('/').at(-1)]);
    },
    BUILD_MS,
  );

  test(
    'a changed Go source is rebuilt and the old binary removed; other files do not count',
    async () => {
      const spec = helloModule('hello v1');
      const first = await ensureGoBinary(spec);
      writeFileSync(join(spec.sourceDir, 'README.md'), 'not a source');
      expect(await ensureGoBinary(spec)).toEqual({ binary: first.binary, built: false });

      writeMain(spec.sourceDir, 'hello v2');
      const second = await ensureGoBinary(spec);
      expect(second.built).toBe(true);
      expect(second.binary).not.toBe(first.binary);
      expect(run(second.binary)).toBe('hello v2');
      expect(existsSync(first.binary)).toBe(false);
    },
    BUILD_MS,
  );

  test('with nothing cached and no Go on PATH, it rejects naming go', async () => {
    const spec = helloModule('hello');
    await expect(withPath(pathWithoutGo(), () => ensureGoBinary(spec))).rejects.toThrow(
      /go is not on PATH, so hello cannot be built/,
    );
    expect(spec.lines).toEqual([]);
  });

  test(
    "a failed build rejects with go's error and leaves no binary, temp file or lock",
    async () => {
      const spec = helloModule('hello');
      writeFileSync(join(spec.sourceDir, 'main.go'), 'package main\n\nfunc main() { oops }\n');
      await expect(ensureGoBinary(spec)).rejects.toThrow(/go build failed[\s\S]*undefined: oops/);
      expect(readdirSync(spec.cacheDir)).toEqual([]);
    },
    BUILD_MS,
  );

  test(
    'a lock left by a process that died is taken over',
    async () => {
      const spec = helloModule('hello');
      const dead = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => dead.on('exit', resolve));
      mkdirSync(spec.cacheDir, { recursive: true });
      writeFileSync(join(spec.cacheDir, '.hello.lock'), String(dead.pid));
      const result = await ensureGoBinary(spec);
      expect(result.built).toBe(true);
      expect(existsSync(join(spec.cacheDir, '.hello.lock'))).toBe(false);
    },
    BUILD_MS,
  );

  test(
    'two processes asking at once get one build, and neither sees it half-written',
    async () => {
      const spec = helloModule('hello raced');
      const race = dirname(spec.sourceDir);
      // A real `go` behind a wrapper that counts builds and makes each take a second longer,
      // so the second process surely arrives while the first one builds.
      const shims = join(race, 'shims');
      mkdirSync(shims);
      writeFileSync(
        join(shims, 'go'),
        `#!/bin/sh\nif [ "$1" = build ]; then echo build >> "$RACE_DIR/go-builds"; sleep 1; fi\nexec ${go} "$@"\n`,
      );
      chmodSync(join(shims, 'go'), 0o755);
      const env = {
        ...process.env,
        PATH: `${shims}${delimiter}${process.env.PATH}`,
        RACE_DIR: race,
        RACE_SOURCE: spec.sourceDir,
        RACE_CACHE: spec.cacheDir,
      };
      const vitest = join(packageDir, 'node_modules', '.bin', 'vitest');
      const fixtures = join(packageDir, 'test', 'fixtures');
      const children: ChildProcess[] = [];
      const exits = [1, 2].map(() => {
        const child = spawn(vitest, ['run', '--root', fixtures], { cwd: packageDir, env });
        children.push(child);
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
        return new Promise<{ code: number | null; output: string }>((resolve) =>
          child.on('close', (code) => resolve({ code, output })),
        );
      });
      try {
        // The start line: both processes are up and waiting before either asks.
        while (readdirSync(race).filter((f) => f.startsWith('ready-')).length < 2) await sleep(50);
        writeFileSync(join(race, 'go'), '');
        for (const exit of await Promise.all(exits)) expect(exit.code, exit.output).toBe(0);
      } finally {
        for (const child of children) child.kill('SIGKILL');
      }

      const results = readdirSync(race)
        .filter((f) => f.startsWith('result-'))
        .map((f) => JSON.parse(readFileSync(join(race, f), 'utf8')));
      expect(results).toHaveLength(2);
      expect(readFileSync(join(race, 'go-builds'), 'utf8')).toBe('build\n');
      const [builder, waiter] = [...results].sort(
        (a, b) => Number(b.result.built) - Number(a.result.built),
      );
      expect(builder.result.built).toBe(true);
      expect(builder.lines).toEqual(['building hello...']);
      expect(waiter.result).toEqual({ binary: builder.result.binary, built: false });
      // The lock file is created before the builder's pid is written into it: a waiter that
      // reads it in between names no process.
      expect(waiter.lines).toEqual([
        expect.stringMatching(
          /^waiting for (process \d+|another process), which is building hello/,
        ),
      ]);
      expect(run(builder.result.binary)).toBe('hello raced');
      expect(readdirSync(spec.cacheDir)).toEqual([builder.result.binary.split('/').at(-1)]);
    },
    BUILD_MS,
  );
});
