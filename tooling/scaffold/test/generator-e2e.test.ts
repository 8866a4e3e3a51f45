/**
 * The generator end to end, in a copy of this workspace: `pnpm new-store acme` makes a package
 * that installs, builds, typechecks and lints; its conformance test runs and fails with
 * readable "not implemented" errors; pointed at the memory store, it passes the whole suite.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackage, findPackages, formatProblems } from '../src/structure/index.js';
import { type CommandResult, ROOT, run } from './support.js';

/** Never copied: installs, VCS data and caches. The copy gets its own install. */
const SKIPPED = new Set(['node_modules', '.git', '.turbo', 'coverage', '.sessions']);

/** Built output the generated package needs from the workspace. */
const NEEDED_BUILDS = ['packages/core/dist/index.js', 'packages/conformance/dist/vitest.js'];

let work: string;
let acme: string;

/** The vitest JSON results the shared config writes for @sessions/acme. */
interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

function expectSuccess(result: CommandResult, what: string): void {
  expect(result.status, `${what} failed:\n${result.output}`).toBe(0);
}

/** Run acme's tests; resolves to the command result and the JSON report vitest wrote. */
function runAcmeTests(): { result: CommandResult; report: VitestReport } {
  const reportPath = join(work, 'node_modules/.cache/sessions-test-results/_sessions_acme.json');
  rmSync(reportPath, { force: true });
  const result = run('pnpm', ['exec', 'vitest', 'run'], { cwd: acme, timeoutMs: 150_000 });
  expect(existsSync(reportPath), `vitest wrote no report:\n${result.output}`).toBe(true);
  return { result, report: JSON.parse(readFileSync(reportPath, 'utf8')) as VitestReport };
}

// Prefer-offline, not offline: the packages are in the store after the root install, but a
// frozen-lockfile install caches no registry metadata, and the new package's ranges (catalog:
// @types/node, say) need it on a machine that never resolved them.
const install = () =>
  run(
    'pnpm',
    ['install', '--prefer-offline', '--frozen-lockfile=false', '--reporter=append-only'],
    {
      cwd: work,
    },
  );

beforeAll(() => {
  for (const file of NEEDED_BUILDS) {
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run \`pnpm build\` first`);
  }
  work = mkdtempSync(join(tmpdir(), 'scaffold-e2e-'));
  acme = join(work, 'packages', 'acme');
  cpSync(ROOT, work, { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });
  // The store already holds every package this workspace uses: this install links them.
  expectSuccess(install(), 'pnpm install');
  const generated = run(process.execPath, ['tooling/scaffold/bin/new-store.mjs', 'acme'], {
    cwd: work,
  });
  expectSuccess(generated, 'pnpm new-store acme');
  expect(generated.output).not.toContain('could not format');
  expectSuccess(install(), 'pnpm install after new-store');
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a freshly generated store package', () => {
  it('builds, typechecks, and passes Biome and publint', () => {
    expectSuccess(run('pnpm', ['run', 'build'], { cwd: acme }), 'build');
    expectSuccess(run('pnpm', ['exec', 'tsc', '--noEmit'], { cwd: acme }), 'tsc');
    expectSuccess(run('pnpm', ['run', 'lint'], { cwd: acme }), 'publint');
    expectSuccess(
      run(join(work, 'node_modules/.bin/biome'), ['check', 'packages/acme'], { cwd: work }),
      'biome check',
    );
  });

  it('is lint-clean even for a 40-character name, whose lines wrap', () => {
    const name = 'a-very-long-backend-name-for-line-wraps9';
    expect(name).toHaveLength(40);
    const generated = run(process.execPath, ['tooling/scaffold/bin/new-store.mjs', name], {
      cwd: work,
    });
    expectSuccess(generated, `pnpm new-store ${name}`);
    expect(generated.output).not.toContain('could not format');
    const biome = run(join(work, 'node_modules/.bin/biome'), ['check', `packages/${name}`], {
      cwd: work,
    });
    expectSuccess(biome, 'biome check');
    rmSync(join(work, 'packages', name), { recursive: true });
    rmSync(join(work, '.changeset', `${name}-initial.md`));
  });

  it('passes the structure check, but for the driver it has not declared yet', async () => {
    const pkg = findPackages(work).find((p) => p.folder === 'acme');
    expect(pkg?.kind).toBe('store');
    if (pkg === undefined) return;
    expect(formatProblems(await checkPackage(pkg))).toEqual([
      'packages/acme/package.json: declares no driver in peerDependencies: run `pnpm --filter @sessions/acme add --save-peer <driver>`',
    ]);
  });

  it('runs the conformance suite, and it fails readably: "not implemented", not crashes', () => {
    const { result, report } = runAcmeTests();
    expect(result.status).toBe(1);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(60);
    expect(report.numFailedTests).toBe(report.numTotalTests);
    // Failures must be the store's own errors or a check's assertion, not crashes of the suite
    // or of the generated test file.
    expect(result.output).not.toMatch(/Unhandled|TypeError|ReferenceError|SyntaxError|Cannot find/);
    const messages = report.testResults.flatMap((file) => {
      expect(file.message ?? '', 'a test file failed to load').toBe('');
      return file.assertionResults.map(
        (test) => `${test.fullName}: ${test.failureMessages.join('\n')}`,
      );
    });
    const notImplemented = messages.filter((m) => /\w+\(\) is not implemented yet/.test(m));
    const readable = (m: string) => /is not implemented yet|AssertionError/.test(m);
    expect(messages.filter((m) => !readable(m))).toEqual([]);
    // A check may report the effect ("0 writers won") rather than the cause; most name it.
    expect(notImplemented.length).toBeGreaterThanOrEqual(messages.length * 0.9);
  });

  it('passes the whole suite once its class delegates to the memory store', () => {
    writeFileSync(join(acme, 'src/acme-store.ts'), MEMORY_BACKED_STORE);
    writeFileSync(join(acme, 'test/conformance.test.ts'), MEMORY_BACKED_TEST);
    const { result, report } = runAcmeTests();
    expectSuccess(result, 'the conformance suite');
    expect(report.numPassedTests).toBe(report.numTotalTests);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(60);
  });
});

/** What a contributor's finished class might be, with MemoryStore standing in for a backend. */
const MEMORY_BACKED_STORE = `
import {
  type DeleteByUserOptions,
  type MemoryBackend,
  MemoryStore,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
} from '@sessions/core';
import type { AcmeStoreOptions } from './options.js';

export class AcmeStore<D = SessionData> implements SessionStore<D> {
  readonly maxPayloadBytes: number;
  readonly #memory: MemoryStore<D>;

  constructor(options: AcmeStoreOptions<D> & { backend?: MemoryBackend } = {}) {
    this.#memory = new MemoryStore<D>({ ...options, pruneInterval: 0 });
    this.maxPayloadBytes = this.#memory.maxPayloadBytes;
  }
  get(key: string): Promise<SessionRecord<D> | undefined> { return this.#memory.get(key); }
  set(key: string, record: SessionRecord<D>, options?: SetOptions): Promise<SetResult> {
    return this.#memory.set(key, record, options);
  }
  touch(key: string, expiresAt: number): Promise<boolean> { return this.#memory.touch(key, expiresAt); }
  delete(key: string): Promise<boolean> { return this.#memory.delete(key); }
  listByUser(userId: string): Promise<Array<StoredSession<D>>> { return this.#memory.listByUser(userId); }
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.#memory.deleteByUser(userId, options);
  }
  list(): Promise<Array<StoredSession<D>>> { return this.#memory.list(); }
  clear(): Promise<void> { return this.#memory.clear(); }
  prune(): Promise<number> { return this.#memory.prune(); }
  close(): Promise<void> { return this.#memory.close(); }
}
`;

const MEMORY_BACKED_TEST = `
import { memoryRaw } from '@sessions/conformance';
import { describeStore } from '@sessions/conformance/vitest';
import { MemoryBackend } from '@sessions/core';
import { AcmeStore } from '../src/index.js';

const backend = new MemoryBackend();

describeStore({
  name: 'acme',
  capabilities: { nativeExpiry: 'none' },
  create: ({ namespace, clock, codec }) => new AcmeStore({ backend, namespace, clock, codec }),
  raw: (_store, { namespace }) => memoryRaw(backend, namespace),
});
`;
